// The draw-a-digit page: pointer strokes on a canvas (mouse, pen or finger) or a dropped photo,
// sent as a picture to /page/predict; shows the digit, the ten probabilities and the version.
(function () {
  "use strict";
  const pad = document.getElementById("pad");
  const ctx = pad.getContext("2d");
  const seen = document.getElementById("seen").getContext("2d");
  const state = { strokes: 0, answered: 0, drawing: false, timer: null };
  window.digitPage = state;

  const bars = document.getElementById("bars");
  for (let d = 0; d < 10; d++) {
    bars.insertAdjacentHTML("beforeend",
      '<div class="bar" id="bar' + d + '"><span class="label">' + d + '</span><span class="track"><span class="fill"></span></span><span class="value"></span></div>');
  }

  function clear() {
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, pad.width, pad.height);
    seen.fillStyle = "#000";
    seen.fillRect(0, 0, 28, 28);
    document.getElementById("digit").textContent = "?";
    document.getElementById("error").textContent = "";
    for (let d = 0; d < 10; d++) {
      show(d, 0, false);
    }
  }

  function show(d, p, top) {
    const bar = document.getElementById("bar" + d);
    bar.querySelector(".fill").style.width = (100 * p).toFixed(1) + "%";
    bar.querySelector(".value").textContent = p ? p.toFixed(4) : "";
    bar.classList.toggle("top", top);
  }

  function point(e) {
    const r = pad.getBoundingClientRect();
    return [(e.clientX - r.left) * pad.width / r.width, (e.clientY - r.top) * pad.height / r.height];
  }

  pad.addEventListener("pointerdown", e => {
    e.preventDefault();
    pad.setPointerCapture(e.pointerId);
    state.drawing = true;
    clearTimeout(state.timer);
    ctx.strokeStyle = "#000";
    ctx.lineWidth = 22;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    const [x, y] = point(e);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + 0.01, y);
    ctx.stroke();
  });
  pad.addEventListener("pointermove", e => {
    if (!state.drawing) return;
    const [x, y] = point(e);
    ctx.lineTo(x, y);
    ctx.stroke();
  });
  function end() {
    if (!state.drawing) return;
    state.drawing = false;
    state.strokes++;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => pad.toBlob(send, "image/png"), 150);
  }
  pad.addEventListener("pointerup", end);
  pad.addEventListener("pointercancel", end);

  pad.addEventListener("dragover", e => { e.preventDefault(); pad.classList.add("drop"); });
  pad.addEventListener("dragleave", () => pad.classList.remove("drop"));
  pad.addEventListener("drop", e => {
    e.preventDefault();
    pad.classList.remove("drop");
    const file = e.dataTransfer.files[0];
    if (!file) return;
    const img = new Image();
    img.onload = () => {
      clear();
      const s = Math.min(pad.width / img.width, pad.height / img.height);
      ctx.drawImage(img, (pad.width - img.width * s) / 2, (pad.height - img.height * s) / 2, img.width * s, img.height * s);
      URL.revokeObjectURL(img.src);
    };
    img.src = URL.createObjectURL(file);
    state.strokes++;
    send(file);
  });

  function send(picture) {
    const asked = state.strokes;
    fetch("/page/predict", { method: "POST", body: picture })
      .then(r => r.json().then(body => ({ ok: r.ok, body })))
      .then(({ ok, body }) => {
        if (asked !== state.strokes) return; // drawn on since: a newer answer is coming
        if (!ok) throw new Error(body.error || "prediction failed");
        document.getElementById("error").textContent = "";
        document.getElementById("digit").textContent = body.digit;
        body.probabilities.forEach((p, d) => show(d, p, d === body.digit));
        document.getElementById("model").textContent = "model " + body.model + ", version " + body.version;
        const img = seen.createImageData(28, 28);
        body.input.forEach((v, i) => {
          const g = Math.round(255 * v);
          img.data.set([g, g, g, 255], 4 * i);
        });
        seen.putImageData(img, 0, 0);
        state.answered = asked;
      })
      .catch(err => {
        if (asked !== state.strokes) return;
        document.getElementById("error").textContent = err.message;
        state.answered = asked;
      });
  }

  document.getElementById("clear").addEventListener("click", () => {
    state.strokes++;
    state.answered = state.strokes;
    clear();
  });
  clear();
})();

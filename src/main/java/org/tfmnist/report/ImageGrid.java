package org.tfmnist.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.tfmnist.data.Dataset;

/**
 * A contact sheet of data set images: each cell holds one image, scaled up {@link #SCALE} times
 * (dark ink on white, as printed digits look), with caption lines under it (index, label,
 * prediction). Up to {@link #COLUMNS} cells a row.
 */
public final class ImageGrid {
  public static final int SCALE = 4;
  public static final int COLUMNS = 10;
  private static final int PAD = 10;
  private static final int LINE_HEIGHT = 17;
  private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

  private final Dataset data;
  private final int width;
  private final int height;
  private final List<Cell> cells = new ArrayList<>();

  private record Cell(int index, List<String> captions) {}

  /** A grid of {@code data}'s images, each {@code width} x {@code height} pixels. */
  public ImageGrid(Dataset data, int width, int height) {
    if (width * height != data.features()) {
      throw new IllegalArgumentException(
          "images have " + data.features() + " pixels, not " + width + " x " + height);
    }
    this.data = data;
    this.width = width;
    this.height = height;
  }

  /** Adds image {@code index} of the data set, captioned with {@code captions}, one line each. */
  public void add(int index, String... captions) {
    if (index < 0 || index >= data.size()) {
      throw new IndexOutOfBoundsException("index " + index + " of " + data.size());
    }
    cells.add(new Cell(index, List.of(captions)));
  }

  public int size() {
    return cells.size();
  }

  /**
   * The pixels of cell {@code i}'s image in the rendered picture (each source pixel is SCALE x
   * SCALE).
   */
  public Rectangle imageBounds(int i) {
    return new Rectangle(
        (i % COLUMNS) * cellWidth() + PAD,
        (i / COLUMNS) * cellHeight() + PAD,
        width * SCALE,
        height * SCALE);
  }

  /** Draws the grid: {@code min(size, COLUMNS)} cells wide, as many rows as needed. */
  public BufferedImage render() {
    int columns = Math.max(1, Math.min(cells.size(), COLUMNS));
    int rows = Math.max(1, (cells.size() + COLUMNS - 1) / COLUMNS);
    BufferedImage image =
        new BufferedImage(columns * cellWidth(), rows * cellHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(FONT);
      for (int i = 0; i < cells.size(); i++) {
        drawCell(g, image, i);
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  private void drawCell(Graphics2D g, BufferedImage image, int i) {
    Rectangle box = imageBounds(i);
    int offset = cells.get(i).index() * data.features();
    float[] pixels = data.images();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int ink = Math.round(Math.max(0f, Math.min(1f, pixels[offset + y * width + x])) * 255);
        int grey = 255 - ink;
        int rgb = (grey << 16) | (grey << 8) | grey;
        for (int dy = 0; dy < SCALE; dy++) {
          for (int dx = 0; dx < SCALE; dx++) {
            image.setRGB(box.x + x * SCALE + dx, box.y + y * SCALE + dy, rgb);
          }
        }
      }
    }
    g.setColor(Color.LIGHT_GRAY);
    g.drawRect(box.x - 1, box.y - 1, box.width + 1, box.height + 1);
    g.setColor(Color.BLACK);
    FontMetrics metrics = g.getFontMetrics();
    int baseline = box.y + box.height + PAD / 2 + metrics.getAscent();
    for (String line : cells.get(i).captions()) {
      int x = box.x + (box.width - metrics.stringWidth(line)) / 2;
      g.drawString(line, x, baseline);
      baseline += LINE_HEIGHT;
    }
  }

  private int cellWidth() {
    return width * SCALE + 2 * PAD;
  }

  private int cellHeight() {
    int lines = cells.stream().mapToInt(c -> c.captions().size()).max().orElse(0);
    return height * SCALE + PAD + Math.max(1, lines) * LINE_HEIGHT + PAD;
  }
}

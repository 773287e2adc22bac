package org.tfmnist.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.tfmnist.TfmnistException;

/**
 * Per-epoch loss and accuracy charts (XChart) drawn from {@link MetricsTable}s: one run's training,
 * validation and test curves, or several runs overlaid, one colour per run.
 */
public final class MetricsCharts {
  /** A single run's curves: training blue, validation green, test orange (matplotlib's tab10). */
  public static final Color TRAINING = new Color(31, 119, 180);

  public static final Color VALIDATION = new Color(44, 160, 44);
  public static final Color TEST = new Color(255, 127, 14);

  /** Overlaid runs take these colours in turn. */
  public static final List<Color> PALETTE =
      List.of(
          new Color(31, 119, 180),
          new Color(255, 127, 14),
          new Color(44, 160, 44),
          new Color(214, 39, 40),
          new Color(148, 103, 189),
          new Color(140, 86, 75),
          new Color(227, 119, 194),
          new Color(127, 127, 127),
          new Color(188, 189, 34),
          new Color(23, 190, 207));

  public static final int WIDTH = 800;
  public static final int HEIGHT = 520;
  private static final float LINE_WIDTH = 2.5f;
  private static final BasicStroke SOLID =
      new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND);
  private static final BasicStroke DASHED =
      new BasicStroke(
          LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {12f, 7f}, 0f);
  private static final BasicStroke DOTTED =
      new BasicStroke(
          LINE_WIDTH,
          BasicStroke.CAP_ROUND,
          BasicStroke.JOIN_ROUND,
          10f,
          new float[] {0.5f, 6f},
          0f);
  private static final int MARKERS_UP_TO = 30;

  /** The two quantities charted, with the columns that hold them. */
  public enum Metric {
    LOSS(
        "loss",
        "Loss",
        MetricsTable.Row::loss,
        MetricsTable.Row::valLoss,
        MetricsTable.Row::testLoss),
    ACCURACY(
        "accuracy",
        "Accuracy",
        MetricsTable.Row::accuracy,
        MetricsTable.Row::valAccuracy,
        MetricsTable.Row::testAccuracy);

    final String axis;
    final String title;
    final ToDoubleFunction<MetricsTable.Row> training;
    final ToDoubleFunction<MetricsTable.Row> validation;
    final ToDoubleFunction<MetricsTable.Row> test;

    Metric(
        String axis,
        String title,
        ToDoubleFunction<MetricsTable.Row> training,
        ToDoubleFunction<MetricsTable.Row> validation,
        ToDoubleFunction<MetricsTable.Row> test) {
      this.axis = axis;
      this.title = title;
      this.training = training;
      this.validation = validation;
      this.test = test;
    }
  }

  /** Overlays of more runs than this list them one per legend line. */
  private static final int HORIZONTAL_LEGEND_UP_TO = 2;

  private static final int LEGEND_LINE_HEIGHT = 20;

  /** A run to overlay, named in the legend by {@code label}. */
  public record LabelledRun(String label, MetricsTable table) {}

  private MetricsCharts() {}

  /** One run's training, validation (when logged) and test curves of {@code metric}. */
  public static XYChart run(String name, MetricsTable table, Metric metric) {
    XYChart chart = chart(metric.title + ": " + name, metric);
    double[] epochs = epochs(table);
    add(chart, "training", epochs, table.column(metric.training), TRAINING, SOLID);
    if (table.hasValidation()) {
      add(chart, "validation", epochs, table.column(metric.validation), VALIDATION, SOLID);
    }
    add(chart, "test", epochs, table.column(metric.test), TEST, SOLID);
    return chart;
  }

  /**
   * Several runs' curves of {@code metric}, one colour per run: test solid, validation dotted,
   * training dashed (markers on the test curve only). The legend names each run once (its test
   * curve); the title says the styles.
   */
  public static XYChart overlay(List<LabelledRun> runs, Metric metric) {
    boolean anyValidation = runs.stream().anyMatch(r -> r.table().hasValidation());
    XYChart chart =
        chart(
            metric.title
                + " (solid: test, "
                + (anyValidation ? "dotted: validation, " : "")
                + "dashed: training)",
            metric);
    for (int i = 0; i < runs.size(); i++) {
      LabelledRun run = runs.get(i);
      Color color = PALETTE.get(i % PALETTE.size());
      double[] epochs = epochs(run.table());
      add(chart, run.label(), epochs, run.table().column(metric.test), color, SOLID);
      if (run.table().hasValidation()) {
        add(
                chart,
                run.label() + " validation",
                epochs,
                run.table().column(metric.validation),
                color,
                DOTTED)
            .setMarker(lineOnly(epochs))
            .setShowInLegend(false);
      }
      add(
              chart,
              run.label() + " training",
              epochs,
              run.table().column(metric.training),
              color,
              DASHED)
          .setMarker(lineOnly(epochs))
          .setShowInLegend(false);
    }
    if (runs.size() > HORIZONTAL_LEGEND_UP_TO) {
      chart
          .getStyler()
          .setLegendLayout(Styler.LegendLayout.Vertical); // one run a line: long names never clip
    }
    return chart;
  }

  /** Draws {@code panels} side by side, each {@link #WIDTH} x {@link #HEIGHT}, into one PNG. */
  public static void writePng(List<XYChart> panels, Path file) throws TfmnistException {
    writePng(panels, file, HEIGHT);
  }

  /**
   * The loss and accuracy overlays of {@code runs} side by side in one PNG, tall enough for a
   * legend of one run per line when there are many.
   */
  public static void writeOverlayPng(List<LabelledRun> runs, Path file) throws TfmnistException {
    int legendLines = runs.size() > HORIZONTAL_LEGEND_UP_TO ? runs.size() - 1 : 0;
    writePng(
        List.of(overlay(runs, Metric.LOSS), overlay(runs, Metric.ACCURACY)),
        file,
        HEIGHT + legendLines * LEGEND_LINE_HEIGHT);
  }

  private static void writePng(List<XYChart> panels, Path file, int height)
      throws TfmnistException {
    BufferedImage image =
        new BufferedImage(WIDTH * panels.size(), height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      for (int i = 0; i < panels.size(); i++) {
        Graphics2D panel = (Graphics2D) g.create(i * WIDTH, 0, WIDTH, height);
        try {
          panels.get(i).paint(panel, WIDTH, height);
        } finally {
          panel.dispose();
        }
      }
    } finally {
      g.dispose();
    }
    PngFile.write(image, file);
  }

  private static XYChart chart(String title, Metric metric) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle("epoch")
            .yAxisTitle(metric.axis)
            .build();
    XYStyler styler = chart.getStyler();
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setPlotBorderColor(Color.GRAY);
    styler.setPlotGridLinesColor(new Color(225, 225, 225));
    styler.setChartTitleBoxVisible(false);
    styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
    styler.setLegendLayout(Styler.LegendLayout.Horizontal);
    styler.setLegendBorderColor(Color.LIGHT_GRAY);
    styler.setLegendSeriesLineLength(32);
    styler.setXAxisDecimalPattern("#");
    styler.setMarkerSize(6);
    styler.setAntiAlias(true);
    return chart;
  }

  private static XYSeries add(
      XYChart chart, String name, double[] x, double[] y, Color color, BasicStroke line) {
    XYSeries series = chart.addSeries(name, x, y);
    series.setLineColor(color);
    series.setLineStyle(line);
    series.setMarkerColor(color);
    series.setMarker(x.length <= MARKERS_UP_TO ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    return series;
  }

  /** No markers on a line, unless it is a single point, which only a marker shows. */
  private static Marker lineOnly(double[] x) {
    return x.length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE;
  }

  private static double[] epochs(MetricsTable table) {
    return table.column(MetricsTable.Row::epoch);
  }
}

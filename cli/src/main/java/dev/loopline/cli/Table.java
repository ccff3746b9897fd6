package dev.loopline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** A text table whose columns are as wide as their widest cell, two spaces apart; numbers align right. */
final class Table {

    /** What an absent value (no cap, no projection) prints as. */
    static final String NONE = "-";

    private final List<String> headers;
    private final boolean[] right;
    private final List<List<String>> rows = new ArrayList<>();

    /** A header that ends in {@code >} names a right-aligned column (the {@code >} is not printed). */
    Table(String... headers) {
        this.headers = new ArrayList<>();
        this.right = new boolean[headers.length];
        for (int i = 0; i < headers.length; i++) {
            right[i] = headers[i].endsWith(">");
            this.headers.add(right[i] ? headers[i].substring(0, headers[i].length() - 1) : headers[i]);
        }
    }

    Table row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("expected " + headers.size() + " cells, got " + cells.length);
        }
        rows.add(List.of(cells));
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintStream out) {
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = headers.get(i).length();
            for (List<String> row : rows) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        line(out, headers, width);
        rows.forEach(row -> line(out, row, width));
    }

    private void line(PrintStream out, List<String> cells, int[] width) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            boolean last = i == cells.size() - 1;
            if (i > 0) {
                text.append("  ");
            }
            if (right[i]) {
                text.append(" ".repeat(width[i] - cell.length())).append(cell);
            } else {
                text.append(cell);
                if (!last) {
                    text.append(" ".repeat(width[i] - cell.length()));
                }
            }
        }
        out.println(text);
    }

    /** A JSON text value, or {@link #NONE} when it is absent or null. */
    static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? NONE : node.asText();
    }

    /** A JSON number, or {@link #NONE} when it is absent or null. */
    static String number(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? NONE : Long.toString(node.asLong());
    }

    /** A US dollar amount to the cent, rounded up so spend is never understated ({@code $0.01}), or {@link #NONE}. */
    static String usd(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NONE;
        }
        return "$" + node.decimalValue().setScale(2, RoundingMode.CEILING).toPlainString();
    }

    /** An instant to the second (the services send nanoseconds), or {@link #NONE}. */
    static String time(JsonNode node) {
        String text = text(node);
        if (NONE.equals(text)) {
            return NONE;
        }
        try {
            return Instant.parse(text).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return text;
        }
    }
}

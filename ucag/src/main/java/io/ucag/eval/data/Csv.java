package io.ucag.eval.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A small CSV reader: a header row naming the columns, comma separators, optional double quotes ("" escapes). */
final class Csv {
    private final Path file;
    private final List<String> header;
    private final List<String[]> rows;
    private final List<Integer> lineNumbers;

    private Csv(Path file, List<String> header, List<String[]> rows, List<Integer> lineNumbers) {
        this.file = file;
        this.header = header;
        this.rows = rows;
        this.lineNumbers = lineNumbers;
    }

    static Csv read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IOException(file + ": empty CSV file (expected a header row)");
        }
        String first = lines.get(0).startsWith("\uFEFF") ? lines.get(0).substring(1) : lines.get(0);
        List<String> header = Arrays.stream(split(first, file, 1)).map(String::trim).toList();
        List<String[]> rows = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] fields = split(lines.get(i), file, i + 1);
            if (fields.length != header.size()) {
                throw new IOException(file + ":" + (i + 1) + ": " + fields.length + " fields, the header has "
                        + header.size());
            }
            rows.add(fields);
            numbers.add(i + 1);
        }
        return new Csv(file, header, rows, numbers);
    }

    /** The index of a required column, or an error listing the columns found. */
    int column(String name) throws IOException {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new IOException(file + ": no column '" + name + "' in the header " + header);
        }
        return i;
    }

    int size() {
        return rows.size();
    }

    String get(int row, int column) {
        return rows.get(row)[column].trim();
    }

    int integer(int row, int column) throws IOException {
        try {
            return Integer.parseInt(get(row, column));
        } catch (NumberFormatException e) {
            throw new IOException(where(row) + ": '" + get(row, column) + "' is not an integer");
        }
    }

    double number(int row, int column) throws IOException {
        try {
            double v = Double.parseDouble(get(row, column));
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IOException(where(row) + ": '" + get(row, column) + "' is not a finite number");
        }
    }

    String where(int row) {
        return file + ":" + lineNumbers.get(row);
    }

    private static String[] split(String line, Path file, int lineNumber) throws IOException {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c != '\r') {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IOException(file + ":" + lineNumber + ": unterminated quote");
        }
        fields.add(field.toString());
        return fields.toArray(String[]::new);
    }
}

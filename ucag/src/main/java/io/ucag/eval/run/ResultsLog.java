package io.ucag.eval.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code results.jsonl}, append-only, one {@link ResultRecord} per line, safe to kill at any moment.
 *
 * <p>Write policy: each line is encoded completely first and handed to the kernel as one {@code write} of the
 * whole line including its newline, on a file opened with O_APPEND, then {@code force}d (fdatasync). Killing the
 * process (even SIGKILL) cannot tear a line: the kernel has either taken the whole write or none of it, and what
 * it has taken survives the process. The fsync per line guards against an OS crash or power loss, after which at
 * most the last line can be torn; it costs milliseconds against seconds of work per line. On open, a last line
 * without its newline or that does not parse is such a torn tail: it is cut off (the work is redone). A torn line
 * anywhere else cannot come from this writer and is reported as corruption. Duplicates cannot arise: a key found
 * in the file is never computed again, and an exclusive lock on the file stops a second process from appending.
 */
public final class ResultsLog implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ResultsLog.class.getName());

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Map<String, ResultRecord> records; // by key, file order

    private ResultsLog(Path file, FileChannel channel, FileLock lock, Map<String, ResultRecord> records) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.records = records;
    }

    /** Opens (creating) the file, locks it, cuts a torn last line and reads what is done. */
    public static ResultsLog open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IOException(file + " is being written by another evaluate process; wait for it or use "
                        + "another --out");
            }
            Map<String, ResultRecord> records = readAndRepair(file, channel);
            return new ResultsLog(file, channel, lock, records);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static Map<String, ResultRecord> readAndRepair(Path file, FileChannel channel) throws IOException {
        if (channel.size() > Integer.MAX_VALUE - 64) {
            throw new IOException(file + ": larger than 2 GiB; start a new --out");
        }
        byte[] bytes = Files.readAllBytes(file); // the lock is held: nobody else appends meanwhile
        Map<String, ResultRecord> records = new LinkedHashMap<>();
        int start = 0;
        int lineNumber = 0;
        while (start < bytes.length) {
            lineNumber++;
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            boolean last = end >= bytes.length - 1;
            String text = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            ResultRecord r = null;
            if (end < bytes.length && !text.isBlank()) {
                try {
                    r = ResultRecord.parse(text);
                } catch (IllegalArgumentException e) {
                    if (!last) {
                        throw new IOException(file + ":" + lineNumber + ": not a result line (" + e.getMessage()
                                + "); the file was modified by something else than evaluate", e);
                    }
                }
            }
            if (r == null && !text.isBlank()) { // a torn tail: no newline, or a last line that does not parse
                LOG.log(System.Logger.Level.WARNING, "{0}: cut a torn last line ({1} bytes); it is redone", file,
                        bytes.length - start);
                channel.truncate(start);
                channel.force(true);
                break;
            }
            if (r != null) {
                records.putIfAbsent(r.key(), r);
            }
            start = end + 1;
        }
        return records;
    }

    public boolean isDone(String key) {
        return records.containsKey(key);
    }

    /** Every record in the file, in file order. */
    public List<ResultRecord> records() {
        return Collections.unmodifiableList(new ArrayList<>(records.values()));
    }

    /** Appends one line durably (see the class comment); a key already present is an error. */
    public void append(ResultRecord r) throws IOException {
        if (records.containsKey(r.key())) {
            throw new IllegalStateException("result " + r.key().replace('\t', ' ') + " is already in " + file);
        }
        byte[] line = (r.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocateDirect(line.length); // a direct buffer: one write(2) of it all
        buffer.put(line).flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        channel.force(false);
        records.put(r.key(), r);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}

package io.ucag.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.eval.data.Box;
import io.ucag.eval.data.CocoInstances;
import io.ucag.eval.data.DatasetSpec;
import io.ucag.eval.data.Datasets;
import io.ucag.eval.data.ImageNetWnids;
import io.ucag.eval.data.ObjectMask;
import io.ucag.eval.data.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path dir;

    private Path touch(String name) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[] {1});
        return p;
    }

    private Path text(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void imageNetSampleNamesGiveTheSortedWnidIndex() throws IOException {
        assertEquals(1000, ImageNetWnids.wnids().size());
        touch("img/n15075141_toilet_tissue.JPEG");
        touch("img/n01440764_tench.JPEG");
        touch("img/notes.txt");
        List<Sample> s = Datasets.load(DatasetSpec.of(dir.resolve("img"))).samples();
        assertEquals(2, s.size());
        assertEquals("n01440764_tench.JPEG", s.get(0).image());
        assertEquals(0, s.get(0).label());
        assertEquals(999, s.get(1).label());
        assertThrows(IllegalArgumentException.class, () -> ImageNetWnids.labelOf("cat.jpg"));
    }

    @Test
    void labelsAndBoxesCsv() throws IOException {
        touch("img/a.JPEG");
        touch("img/b.JPEG");
        Path labels = text("labels.csv", "file,label\nb.JPEG,7\na.JPEG,3\n");
        Path boxes = text("boxes.csv", "file,label,orig_w,orig_h,x0,y0,x1,y1\na.JPEG,3,500,375,1.5,2,10,20\n"
                + "a.JPEG,3,500,375,0,0,5,5\na.JPEG,9,500,375,0,0,1,1\n");
        List<Sample> s = Datasets.load(new DatasetSpec(dir.resolve("img"), labels, boxes, null, null, null))
                .samples();
        assertEquals(List.of("a.JPEG", "b.JPEG"), s.stream().map(Sample::image).toList());
        assertEquals(3, s.get(0).label());
        assertEquals(List.of(new Box(1.5, 2, 10, 20), new Box(0, 0, 5, 5)), s.get(0).boxes()); // label 9 not ours
        assertTrue(s.get(1).boxes().isEmpty());
        // boxes alone: one sample per (file, label) in it
        List<Sample> fromBoxes = Datasets.load(new DatasetSpec(dir.resolve("img"), null, boxes, null, null, null))
                .samples();
        assertEquals(2, fromBoxes.size());
        assertEquals(9, fromBoxes.get(1).label());
    }

    @Test
    void csvErrorsNameTheFileAndLine() throws IOException {
        touch("img/a.JPEG");
        Path bad = text("labels.csv", "file,label\na.JPEG,three\n");
        IOException e = assertThrows(IOException.class, () -> Datasets.load(
                new DatasetSpec(dir.resolve("img"), bad, null, null, null, null)));
        assertTrue(e.getMessage().contains("labels.csv:2"), e.getMessage());
        Path missing = text("labels2.csv", "file,label\nzzz.JPEG,1\n");
        e = assertThrows(IOException.class, () -> Datasets.load(
                new DatasetSpec(dir.resolve("img"), missing, null, null, null, null)));
        assertTrue(e.getMessage().contains("zzz.JPEG"), e.getMessage());
        Path noColumn = text("labels3.csv", "name,label\na.JPEG,1\n");
        e = assertThrows(IOException.class, () -> Datasets.load(
                new DatasetSpec(dir.resolve("img"), noColumn, null, null, null, null)));
        assertTrue(e.getMessage().contains("no column 'file'"), e.getMessage());
    }

    @Test
    void vocXmlGivesOneSamplePerClassWithInclusiveCorners() throws IOException {
        touch("img/000005.jpg");
        Files.createDirectories(dir.resolve("ann"));
        text("ann/000005.xml", "<annotation><filename>000005.jpg</filename><size><width>500</width>"
                + "<height>375</height><depth>3</depth></size>"
                + "<object><name>chair</name><difficult>0</difficult><bndbox><xmin>263</xmin><ymin>211</ymin>"
                + "<xmax>324</xmax><ymax>339</ymax></bndbox></object>"
                + "<object><name>chair</name><difficult>1</difficult><bndbox><xmin>5</xmin><ymin>6</ymin>"
                + "<xmax>7.0</xmax><ymax>8</ymax></bndbox></object>"
                + "<object><name>person</name><difficult>1</difficult><bndbox><xmin>1</xmin><ymin>1</ymin>"
                + "<xmax>2</xmax><ymax>2</ymax></bndbox></object></annotation>");
        List<Sample> s = Datasets.load(new DatasetSpec(dir.resolve("img"), null, null, dir.resolve("ann"), null,
                null)).samples();
        assertEquals(2, s.size());
        assertEquals(8, s.get(0).label()); // chair
        assertEquals(new Box(262, 210, 324, 339, false), s.get(0).boxes().get(0));
        assertTrue(s.get(0).boxes().get(1).difficult());
        assertEquals(14, s.get(1).label()); // person
    }

    @Test
    void vocRefusesDoctypesAndUnknownClasses() throws IOException {
        touch("img/x.jpg");
        Files.createDirectories(dir.resolve("ann"));
        text("ann/x.xml", "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<annotation><filename>x.jpg</filename></annotation>");
        assertThrows(IOException.class, () -> Datasets.load(new DatasetSpec(dir.resolve("img"), null, null,
                dir.resolve("ann"), null, null)));
        text("ann/x.xml", "<annotation><filename>x.jpg</filename><object><name>unicorn</name><bndbox><xmin>1"
                + "</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></object></annotation>");
        IOException e = assertThrows(IOException.class, () -> Datasets.load(new DatasetSpec(dir.resolve("img"),
                null, null, dir.resolve("ann"), null, null)));
        assertTrue(e.getMessage().contains("unicorn"), e.getMessage());
    }

    @Test
    void cocoBoxesPolygonsAndRle() throws IOException {
        touch("img/1.jpg");
        touch("img/2.jpg");
        Path json = text("instances.json", """
                {"images": [{"id": 1, "file_name": "1.jpg", "width": 100, "height": 80},
                            {"id": 2, "file_name": "2.jpg", "width": 1, "height": 13}],
                 "categories": [{"id": 3, "name": "car"}, {"id": 1, "name": "person"}],
                 "annotations": [
                   {"id": 10, "image_id": 1, "category_id": 1, "bbox": [10, 20, 30, 40],
                    "segmentation": [[10, 20, 40, 20, 40, 60, 10, 60]], "iscrowd": 0},
                   {"id": 11, "image_id": 1, "category_id": 3, "bbox": [0, 0, 5, 5],
                    "segmentation": {"size": [80, 100], "counts": [0, 3, 77]}, "iscrowd": 1},
                   {"id": 12, "image_id": 2, "category_id": 3, "bbox": [0, 3, 1, 2],
                    "segmentation": {"size": [13, 1], "counts": "327O"}, "iscrowd": 0}]}
                """);
        CocoInstances.Contents c = CocoInstances.read(json);
        assertEquals(List.of("person", "car"), c.categories()); // by ascending id
        List<Sample> s = Datasets.load(new DatasetSpec(dir.resolve("img"), null, null, null, json, null)).samples();
        assertEquals(3, s.size());
        Sample person = s.get(0);
        assertEquals(0, person.label());
        assertEquals(new Box(10, 20, 40, 60), person.boxes().get(0));
        ObjectMask polygon = person.masks().get(0);
        assertTrue(polygon.covers(25, 40));
        assertFalse(polygon.covers(50, 40));
        ObjectMask rle = s.get(1).masks().get(0); // column-major: the first 3 pixels of column 0
        assertTrue(rle.covers(0.5, 2.5));
        assertFalse(rle.covers(0.5, 3.5));
        assertFalse(rle.covers(1.5, 0.5));
        ObjectMask compressed = s.get(2).masks().get(0); // "327O" = runs 3, 2, 7, 1: rows 3, 4 and 12
        for (int y = 0; y < 13; y++) {
            assertEquals(y == 3 || y == 4 || y == 12, compressed.covers(0.5, y + 0.5), "row " + y);
        }
    }

    @Test
    void conflictingSourcesAreRefused() {
        Path p = dir.resolve("x");
        assertThrows(IllegalArgumentException.class, () -> new DatasetSpec(dir, p, null, p, null, null));
        assertThrows(IllegalArgumentException.class, () -> new DatasetSpec(dir, null, p, null, p, null));
        assertThrows(IllegalArgumentException.class, () -> new DatasetSpec(dir, p, null, null, null, p));
    }
}

package io.ucag.eval.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * PASCAL VOC annotations: one XML file per image ({@code <annotation><filename>, <size>, <object><name>,
 * <difficult>, <bndbox><xmin>...}). Corners are 1-based and inclusive, so a box is {@code [xmin - 1, xmax)} in
 * continuous pixel coordinates (see {@link Box}). DTDs and external entities are refused.
 */
public final class VocAnnotations {
    /** The 20 VOC classes in the order of TorchRay and most VOC-trained models (alphabetical). */
    public static final List<String> CLASSES = List.of("aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car",
            "cat", "chair", "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep",
            "sofa", "train", "tvmonitor");

    private VocAnnotations() {
    }

    /** Every {@code *.xml} in {@code dir} (sorted by name), or the single file {@code dir}. */
    public static List<AnnotatedImage> read(Path dir) throws IOException {
        List<Path> files;
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> p.getFileName().toString().toLowerCase().endsWith(".xml")).sorted().toList();
            }
            if (files.isEmpty()) {
                throw new IOException(dir + ": no .xml annotation files");
            }
        } else {
            files = List.of(dir);
        }
        DocumentBuilder builder = builder();
        List<AnnotatedImage> images = new ArrayList<>(files.size());
        for (Path f : files) {
            images.add(parse(builder, f));
        }
        return images;
    }

    static AnnotatedImage parse(DocumentBuilder builder, Path file) throws IOException {
        Document doc;
        try {
            doc = builder.parse(file.toFile());
        } catch (SAXException e) {
            throw new IOException(file + ": not a valid VOC XML file (" + e.getMessage() + ")", e);
        }
        Element root = doc.getDocumentElement();
        if (!root.getTagName().equals("annotation")) {
            throw new IOException(file + ": the root element is <" + root.getTagName() + ">, not <annotation>");
        }
        String name = text(root, "filename", file);
        Element size = child(root, "size");
        int width = size == null ? 0 : (int) number(size, "width", file);
        int height = size == null ? 0 : (int) number(size, "height", file);
        List<AnnotatedImage.Item> objects = new ArrayList<>();
        NodeList children = root.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e && e.getTagName().equals("object")) {
                Element bb = child(e, "bndbox");
                if (bb == null) {
                    throw new IOException(file + ": an <object> without <bndbox>");
                }
                Element difficult = child(e, "difficult");
                boolean isDifficult = difficult != null && difficult.getTextContent().trim().equals("1");
                Box box = new Box(number(bb, "xmin", file) - 1, number(bb, "ymin", file) - 1,
                        number(bb, "xmax", file), number(bb, "ymax", file), isDifficult);
                objects.add(new AnnotatedImage.Item(text(e, "name", file), box, null));
            }
        }
        return new AnnotatedImage(name, width, height, objects);
    }

    private static DocumentBuilder builder() throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void error(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e; // instead of printing "[Error]" on stderr
                }
            });
            return b;
        } catch (ParserConfigurationException e) {
            throw new IOException("no XML parser: " + e.getMessage(), e);
        }
    }

    private static Element child(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String tag, Path file) throws IOException {
        Element e = child(parent, tag);
        if (e == null || e.getTextContent().isBlank()) {
            throw new IOException(file + ": <" + parent.getTagName() + "> has no <" + tag + ">");
        }
        return e.getTextContent().trim();
    }

    private static double number(Element parent, String tag, Path file) throws IOException {
        String s = text(parent, tag, file);
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": <" + tag + "> holds '" + s + "', not a number");
        }
    }
}

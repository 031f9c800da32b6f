package dev.autoint.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The library's version, as Maven stamped it into {@code version.properties} at build time. */
public final class AutoIntVersion {

    public static final String VERSION = read();

    private AutoIntVersion() {
    }

    private static String read() {
        try (InputStream in = AutoIntVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}

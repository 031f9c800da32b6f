package dev.autoint.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The library's version, as Maven stamped it into {@code version.properties} at build time. */
public final class AutoIntVersion {

    /** The version, such as {@code 0.1.0}; {@code "unknown"} when the properties file is missing or unreadable. */
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

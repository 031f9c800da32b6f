import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Lists the exported API of modular jars as Markdown: for each jar, the packages its module-info exports to
 * everyone (qualified exports are not API) and, in them, every type a user can name, meaning public top-level
 * types and the public or protected member types of such types, at any depth.
 *
 * <p>It reads the class files' own access flags (the InnerClasses attribute for member types) and loads no
 * class, so it needs no dependency of the jars. Local and anonymous classes are never API.
 *
 * <p>Usage (JDK 17+, single-file source launch): {@code java tools/ListApi.java core.jar data.jar eval.jar};
 * {@code tools/list-api.sh} runs it on the built library jars.
 */
public final class ListApi {

    private static final int ACC_PUBLIC = 0x0001, ACC_PROTECTED = 0x0004, ACC_INTERFACE = 0x0200,
            ACC_ANNOTATION = 0x2000, ACC_ENUM = 0x4000;

    /** What one class file says about itself: flags (member flags for a member type) and its enclosing type. */
    private record ClassInfo(String name, int flags, String outer, boolean local, String superName) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: java tools/ListApi.java <modular jar>...");
            System.exit(2);
        }
        StringBuilder summary = new StringBuilder();
        StringBuilder lists = new StringBuilder();
        int total = 0, totalTop = 0, totalPackages = 0;
        summary.append("| module | exported packages | exported types | of which top-level |\n");
        summary.append("|---|---:|---:|---:|\n");
        for (String arg : args) {
            Path jar = Path.of(arg);
            Set<ModuleReference> refs = ModuleFinder.of(jar).findAll();
            if (refs.size() != 1 || refs.iterator().next().descriptor().isAutomatic()) {
                throw new IllegalArgumentException(jar + " is not a modular jar (no module-info.class)");
            }
            ModuleDescriptor module = refs.iterator().next().descriptor();
            Set<String> exported = new TreeSet<>();
            for (ModuleDescriptor.Exports e : module.exports()) {
                if (!e.isQualified()) exported.add(e.source());
            }
            Map<String, ClassInfo> classes = new TreeMap<>();
            try (JarFile jf = new JarFile(jar.toFile())) {
                for (JarEntry e : java.util.Collections.list(jf.entries())) {
                    String n = e.getName();
                    if (!n.endsWith(".class") || n.startsWith("META-INF/") || n.endsWith("module-info.class")
                            || n.endsWith("package-info.class")) continue;
                    int slash = n.lastIndexOf('/');
                    String pkg = slash < 0 ? "" : n.substring(0, slash).replace('/', '.');
                    if (!exported.contains(pkg)) continue;
                    try (InputStream in = jf.getInputStream(e)) {
                        ClassInfo c = read(in.readAllBytes());
                        classes.put(c.name, c);
                    }
                }
            }
            Map<String, List<String>> byPackage = new TreeMap<>();
            for (String p : exported) byPackage.put(p, new ArrayList<>());
            int count = 0, top = 0;
            for (ClassInfo c : classes.values()) {
                if (!accessible(c, classes)) continue;
                String binary = c.name.replace('/', '.');
                String pkg = binary.substring(0, binary.lastIndexOf('.'));
                String simple = binary.substring(pkg.length() + 1).replace('$', '.');
                byPackage.get(pkg).add("`" + simple + "`" + kind(c));
                count++;
                if (c.outer == null) top++;
            }
            summary.append("| ").append(module.name()).append(" | ").append(exported.size()).append(" | ")
                    .append(count).append(" | ").append(top).append(" |\n");
            lists.append("\n**").append(module.name()).append("** (").append(count).append(" types)\n\n");
            for (Map.Entry<String, List<String>> p : byPackage.entrySet()) {
                lists.append("- `").append(p.getKey()).append("` (").append(p.getValue().size()).append("): ")
                        .append(p.getValue().isEmpty() ? "none" : String.join(", ", p.getValue())).append('\n');
            }
            total += count;
            totalTop += top;
            totalPackages += exported.size();
        }
        summary.append("| all | ").append(totalPackages).append(" | ").append(total).append(" | ").append(totalTop)
                .append(" |\n");
        System.out.print(summary);
        System.out.print(lists);
    }

    /** Public top-level, or a public/protected member of an accessible type; never local or anonymous. */
    private static boolean accessible(ClassInfo c, Map<String, ClassInfo> classes) {
        if (c.local) return false;
        if (c.outer == null) return (c.flags & ACC_PUBLIC) != 0;
        if ((c.flags & (ACC_PUBLIC | ACC_PROTECTED)) == 0) return false;
        ClassInfo outer = classes.get(c.outer);
        return outer != null && accessible(outer, classes);
    }

    private static String kind(ClassInfo c) {
        if ((c.flags & ACC_ANNOTATION) != 0) return " (annotation)";
        if ((c.flags & ACC_INTERFACE) != 0) return " (interface)";
        if ((c.flags & ACC_ENUM) != 0) return " (enum)";
        if ("java/lang/Record".equals(c.superName)) return " (record)";
        return "";
    }

    /** Reads the class file's name, access flags and, from InnerClasses, its own member flags and enclosing type. */
    private static ClassInfo read(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        if (in.readInt() != 0xCAFEBABE) throw new IOException("not a class file");
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int n = in.readUnsignedShort();
        String[] utf8 = new String[n];
        int[] classRef = new int[n];
        for (int i = 1; i < n; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();                         // Utf8
                case 7 -> classRef[i] = in.readUnsignedShort();            // Class
                case 8, 16, 19, 20 -> in.skipNBytes(2);                    // String, MethodType, Module, Package
                case 15 -> in.skipNBytes(3);                               // MethodHandle
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);      // Integer, Float, refs, NameAndType, dynamic
                case 5, 6 -> {                                             // Long, Double take two slots
                    in.skipNBytes(8);
                    i++;
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        int flags = in.readUnsignedShort();
        int thisClass = in.readUnsignedShort();
        int superClass = in.readUnsignedShort();
        String name = utf8[classRef[thisClass]];
        String superName = superClass == 0 ? null : utf8[classRef[superClass]];
        in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
        for (int part = 0; part < 2; part++) {      // fields, then methods
            int members = in.readUnsignedShort();
            for (int m = 0; m < members; m++) {
                in.skipNBytes(6);
                skipAttributes(in);
            }
        }
        String outer = null;
        boolean local = false;
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
            String attr = utf8[in.readUnsignedShort()];
            int length = in.readInt();
            if (!attr.equals("InnerClasses")) {
                in.skipNBytes(length);
                continue;
            }
            int entries = in.readUnsignedShort();
            for (int e = 0; e < entries; e++) {
                int inner = in.readUnsignedShort(), outerIndex = in.readUnsignedShort();
                in.readUnsignedShort(); // simple name
                int innerFlags = in.readUnsignedShort();
                if (inner != 0 && utf8[classRef[inner]].equals(name)) {
                    local = outerIndex == 0; // local and anonymous classes have no enclosing class entry
                    if (!local) outer = utf8[classRef[outerIndex]];
                    flags = innerFlags | (flags & (ACC_INTERFACE | ACC_ANNOTATION | ACC_ENUM));
                }
            }
        }
        return new ClassInfo(name, flags, outer, local, superName);
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int n = in.readUnsignedShort();
        for (int i = 0; i < n; i++) {
            in.skipNBytes(2);
            in.skipNBytes(in.readInt() & 0xFFFFFFFFL);
        }
    }
}

package dev.synedge.layering;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks Java sources against the layering their package-info files state. Each package's
 * package-info javadoc ends with one line, {@code <p>May use: a, b, Netty.}, naming the synedge
 * packages (short names: {@code config} for {@code dev.synedge.config}) and the libraries its
 * classes may refer to. A class breaks the rule when it imports, or names in its code with a
 * qualified name, a synedge package or a library its package may not use, or a library no
 * line can name (every dependency is chosen, none arrives unnoticed through another). The JDK
 * is always allowed. Packages must not form an import cycle, whatever their lines allow.
 *
 * <p>Works on source text, not classes, so that it can be tried on small made-up inputs.
 */
final class Layering {

    static final String ROOT = "dev.synedge.";

    /** The libraries a May use line can name, with the packages that are theirs. */
    static final Map<String, String> LIBRARIES = libraries(
            "Netty", "io.netty",
            "Caffeine", "com.github.benmanes.caffeine",
            "Typesafe Config", "com.typesafe.config",
            "SLF4J", "org.slf4j",
            "logback", "ch.qos.logback",
            "picocli", "picocli",
            "Prometheus", "io.prometheus");

    private static final List<String> JDK = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

    private static final Pattern PACKAGE = Pattern.compile("^[ \\t]*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    /** Single-type, on-demand, static and module imports: the name, without {@code .*}. */
    private static final Pattern IMPORT =
            Pattern.compile("^[ \\t]*import\\s+(?:static\\s+|module\\s+)?([\\w.]+)(?:\\.\\*)?\\s*;", Pattern.MULTILINE);
    private static final Pattern MAY_USE = Pattern.compile("<p>May use: (.+)\\.");
    /** A name in code that starts with a package this check knows: a qualified reference. */
    private static final Pattern QUALIFIED = Pattern.compile("(?<![\\w.])(?:dev\\.synedge|"
            + String.join("|", LIBRARIES.values()).replace(".", "\\.") + ")(?:\\.\\w+)+");

    /** One source file: where it is (for messages) and its text. */
    record Source(String path, String text) {}

    /** What one package-info allows. */
    record Rule(Set<String> packages, Set<String> libraries, String line) {}

    /** A reference from one file to a package or class outside its package. */
    record Reference(String path, int line, String name) {
        @Override
        public String toString() {
            return path + ":" + line + ": " + name;
        }
    }

    private Layering() {}

    /**
     * Every breach in {@code sources}, one message each (empty when they keep their rules).
     * {@code packageExists} says whether a short name that none of the sources declares is a
     * synedge package elsewhere (another module), so that a May use line can name it.
     */
    static List<String> check(List<Source> sources, Predicate<String> packageExists) {
        List<String> problems = new ArrayList<>();
        Map<String, List<Source>> byPackage = new TreeMap<>();
        for (Source source : sources) {
            Matcher m = PACKAGE.matcher(strip(source.text()));
            if (!m.find() || !m.group(1).startsWith(ROOT)) {
                problems.add(source.path() + ": no package under " + ROOT);
                continue;
            }
            byPackage.computeIfAbsent(m.group(1).substring(ROOT.length()), k -> new ArrayList<>()).add(source);
        }
        Predicate<String> known = name -> byPackage.containsKey(name) || packageExists.test(name);
        Map<String, Map<String, Reference>> edges = new TreeMap<>();
        for (Map.Entry<String, List<Source>> entry : byPackage.entrySet()) {
            String pkg = entry.getKey();
            Rule rule = rule(pkg, entry.getValue(), known, problems);
            if (rule == null) {
                continue;
            }
            for (Source source : entry.getValue()) {
                for (Reference ref : references(source)) {
                    String used = ref.name().startsWith(ROOT) ? packageOf(ref.name()).substring(ROOT.length()) : null;
                    if (used != null) {
                        if (!used.equals(pkg)) {
                            edges.computeIfAbsent(pkg, k -> new TreeMap<>()).putIfAbsent(used, ref);
                            if (!rule.packages().contains(used)) {
                                problems.add(ref + ": package " + pkg + " may not use " + used + " (" + rule.line() + ")");
                            }
                        }
                        continue;
                    }
                    String library = libraryOf(ref.name());
                    if (library != null) {
                        if (!rule.libraries().contains(library)) {
                            problems.add(ref + ": package " + pkg + " may not use " + library + " (" + rule.line() + ")");
                        }
                    } else if (JDK.stream().noneMatch(ref.name()::startsWith)) {
                        problems.add(ref + ": a library no May use line can name (they name "
                                + String.join(", ", LIBRARIES.keySet()) + ")");
                    }
                }
            }
        }
        cycles(edges).forEach(cycle -> problems.add("import cycle: " + cycle));
        return problems;
    }

    /** The rule in {@code pkg}'s package-info, or null after adding why there is none. */
    private static Rule rule(String pkg, List<Source> sources, Predicate<String> known, List<String> problems) {
        Source info = sources.stream().filter(s -> s.path().endsWith("package-info.java")).findFirst().orElse(null);
        if (info == null) {
            problems.add("package " + pkg + " has no package-info.java");
            return null;
        }
        String text = info.text();
        Matcher declaration = PACKAGE.matcher(strip(text));
        int end = declaration.find() ? text.lastIndexOf("*/", declaration.start()) : -1;
        int start = end < 0 ? -1 : text.lastIndexOf("/**", end);
        if (start < 0 || !text.substring(end + 2, declaration.start()).isBlank()) {
            problems.add(info.path() + ": no javadoc to end with a May use line");
            return null;
        }
        List<String> lines = text.substring(start + 3, end).lines()
                .map(l -> l.strip().replaceFirst("^\\*\\s?", "").strip()).filter(l -> !l.isEmpty()).toList();
        Matcher m = lines.isEmpty() ? null : MAY_USE.matcher(lines.getLast());
        if (m == null || !m.matches()) {
            problems.add(info.path() + ": the javadoc does not end with a line \"<p>May use: a, b, c.\"");
            return null;
        }
        Set<String> packages = new LinkedHashSet<>();
        Set<String> libraries = new LinkedHashSet<>();
        for (String name : m.group(1).split(", ")) {
            if (LIBRARIES.containsKey(name)) {
                libraries.add(name);
            } else if (known.test(name)) {
                packages.add(name);
            } else {
                problems.add(info.path() + ": May use names " + name + ", which is neither a synedge package nor "
                        + "one of " + String.join(", ", LIBRARIES.keySet()));
            }
        }
        return new Rule(packages, libraries, "May use: " + m.group(1));
    }

    /** The imports of {@code source}, and the qualified names of known packages in its code. */
    static List<Reference> references(Source source) {
        String code = strip(source.text());
        List<Reference> refs = new ArrayList<>();
        Matcher imports = IMPORT.matcher(code);
        int codeStart = 0;
        while (imports.find()) {
            refs.add(new Reference(source.path(), lineOf(code, imports.start(1)), imports.group(1)));
            codeStart = imports.end();
        }
        Matcher packageLine = PACKAGE.matcher(code);
        if (packageLine.find()) {
            codeStart = Math.max(codeStart, packageLine.end());
        }
        Matcher qualified = QUALIFIED.matcher(code);
        qualified.region(codeStart, code.length());
        while (qualified.find()) {
            refs.add(new Reference(source.path(), lineOf(code, qualified.start()), qualified.group()));
        }
        return refs;
    }

    /** The package part of a qualified name: its segments up to the first that starts in upper case. */
    static String packageOf(String name) {
        String[] parts = name.split("\\.");
        int n = 0;
        while (n < parts.length && !parts[n].isEmpty() && Character.isLowerCase(parts[n].charAt(0))) {
            n++;
        }
        return String.join(".", Arrays.copyOf(parts, n));
    }

    private static String libraryOf(String name) {
        for (Map.Entry<String, String> library : LIBRARIES.entrySet()) {
            String prefix = library.getValue();
            if (name.equals(prefix) || name.startsWith(prefix + ".")) {
                return library.getKey();
            }
        }
        return null;
    }

    /**
     * One cycle through each group of packages that reach one another (Tarjan's strongly
     * connected components), as {@code a -> b -> a} with the reference behind each step.
     */
    static List<String> cycles(Map<String, Map<String, Reference>> edges) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new LinkedHashSet<>();
        List<List<String>> components = new ArrayList<>();
        for (String start : edges.keySet()) {
            if (!index.containsKey(start)) {
                connect(start, edges, index, low, stack, onStack, components);
            }
        }
        List<String> cycles = new ArrayList<>();
        for (List<String> component : components) {
            List<String> path = cycleWithin(component, edges);
            StringBuilder text = new StringBuilder(path.getFirst());
            for (int i = 1; i < path.size(); i++) {
                text.append(" -> ").append(path.get(i));
            }
            text.append(" (");
            for (int i = 1; i < path.size(); i++) {
                text.append(i > 1 ? "; " : "").append(edges.get(path.get(i - 1)).get(path.get(i)));
            }
            cycles.add(text.append(")").toString());
        }
        return cycles;
    }

    private static void connect(String pkg, Map<String, Map<String, Reference>> edges, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                List<List<String>> components) {
        index.put(pkg, index.size());
        low.put(pkg, index.get(pkg));
        stack.push(pkg);
        onStack.add(pkg);
        for (String next : edges.getOrDefault(pkg, Map.of()).keySet()) {
            if (!index.containsKey(next)) {
                connect(next, edges, index, low, stack, onStack, components);
                low.put(pkg, Math.min(low.get(pkg), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(pkg, Math.min(low.get(pkg), index.get(next)));
            }
        }
        if (low.get(pkg).equals(index.get(pkg))) {
            List<String> component = new ArrayList<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(pkg));
            if (component.size() > 1) {
                components.add(component);
            }
        }
    }

    /** A closed path from the component's first package (by name) back to it, breadth first: the shortest. */
    private static List<String> cycleWithin(List<String> component, Map<String, Map<String, Reference>> edges) {
        String start = component.stream().sorted().findFirst().orElseThrow();
        Map<String, String> previous = new LinkedHashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String pkg = queue.poll();
            for (String next : edges.getOrDefault(pkg, Map.of()).keySet()) {
                if (!component.contains(next) || previous.containsKey(next)) {
                    continue;
                }
                previous.put(next, pkg);
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>(List.of(start));
                    for (String at = pkg; !at.equals(start); at = previous.get(at)) {
                        path.addFirst(at);
                    }
                    path.addFirst(start);
                    return path;
                }
                queue.add(next);
            }
        }
        throw new IllegalStateException("no cycle through " + start + " in " + component);
    }

    /**
     * The text with comments, string, text block and character literals blanked out (line
     * breaks kept, so that line numbers stay right): a name in them refers to nothing.
     */
    static String strip(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        int n = text.length();
        while (i < n) {
            int end;
            if (text.startsWith("//", i)) {
                end = text.indexOf('\n', i);
                end = end < 0 ? n : end;
            } else if (text.startsWith("/*", i)) {
                end = text.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
            } else if (text.startsWith("\"\"\"", i)) {
                end = literalEnd(text, i + 3, "\"\"\"");
            } else if (text.charAt(i) == '"' || text.charAt(i) == '\'') {
                end = literalEnd(text, i + 1, String.valueOf(text.charAt(i)));
            } else {
                out.append(text.charAt(i++));
                continue;
            }
            for (; i < end; i++) {
                out.append(text.charAt(i) == '\n' ? '\n' : ' ');
            }
        }
        return out.toString();
    }

    /** Index just past the {@code close} that ends a literal whose content starts at {@code i}. */
    private static int literalEnd(String text, int i, String close) {
        while (i < text.length()) {
            if (text.charAt(i) == '\\') {
                i += 2;
            } else if (text.startsWith(close, i)) {
                return i + close.length();
            } else {
                i++;
            }
        }
        return text.length();
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static Map<String, String> libraries(String... nameAndPackage) {
        Map<String, String> libraries = new LinkedHashMap<>();
        for (int i = 0; i < nameAndPackage.length; i += 2) {
            libraries.put(nameAndPackage[i], nameAndPackage[i + 1]);
        }
        return libraries;
    }
}

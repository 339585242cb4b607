package io.choria.hoist.spec;

import java.util.regex.Pattern;

/**
 * One pattern of the container contract: its regular expression, which is the contract
 * (schema/container-spec.v1.json's, compared character for character by SpecContractTest), and for
 * most of them a matcher written by hand that gives the same verdict without compiling it.
 *
 * <p>{@code check} validates every spec on every run, and compiling these expressions (the port
 * pattern alone holds RFC 3986's IPv6 grammar) cost more CPU than the rest of a check: the JDK's
 * regular expressions also start its method-handle machinery. The hand matchers answer every value
 * of the common forms; the expression is compiled, once, only for a value they leave to it (a
 * bracketed IPv6 address in a port, a command string with quotes or backslashes). GrammarTest holds
 * each matcher to its expression, value by value, on the shared corpus and on every short string.
 *
 * <p>No lambdas here: they, too, would start the method-handle machinery.
 */
public final class Grammar {
    // What a hand matcher says: the value matches, does not, or it is the expression's to say.
    static final int NO = 0;
    static final int YES = 1;
    static final int UNSURE = 2;

    // The hand matchers, by the pattern they stand for (0: none, the expression decides).
    static final int EXPRESSION = 0;
    static final int NAME = 1;
    static final int IMAGE = 2;
    static final int NETWORK = 3;
    static final int ENV = 4;
    static final int DURATION = 5;
    static final int TIMEOUT = 6;
    static final int PERIOD = 7;
    static final int GOVERNOR = 8;
    static final int ABSOLUTE = 9;
    static final int HEALTH_URL = 10;
    static final int HEALTH_TCP = 11;
    static final int WORDS = 12;
    static final int WORD = 13;
    static final int PORTS = 14;
    static final int VOLUME = 15;
    static final int TAG = 16;
    static final int BUCKET = 17;
    static final int KEY = 18;

    // Two patterns both SpecParser's keys and ContainerOption's rows use, here so that either can
    // name them without starting the other's initialiser.
    /** Anything but NUL: an item of a command list, a label or log option value. */
    static final Grammar NOT_NUL = new Grammar(SchemaPatterns.WORDS_ITEM, WORD);
    /** Absolute paths as Stdlib::Unixpath takes them: no newline or NUL, not starting with //. */
    static final Grammar ABSOLUTE_PATH = new Grammar(SchemaPatterns.RESTART_FILES_ITEM, ABSOLUTE);

    private final String regex;
    private final int matcher;
    private volatile Pattern compiled;

    private Grammar(String regex, int matcher) {
        this.regex = regex;
        this.matcher = matcher;
    }

    /** The pattern {@code regex}, matched whole, by the hand matcher {@code matcher} where it can. */
    static Grammar of(int matcher, String regex) {
        return new Grammar(regex, matcher);
    }

    /** Whether a hand matcher stands for the expression (the container options have none: they are checked only when set). */
    boolean handWritten() {
        return matcher != EXPRESSION;
    }

    /** The regular expression, as the schema writes it. */
    public String pattern() {
        return regex;
    }

    /** The compiled expression (compiled on first use). */
    public Pattern compiled() {
        Pattern p = compiled;
        if (p == null) {
            p = Pattern.compile(regex);
            compiled = p;
        }
        return p;
    }

    /** Whether the whole of {@code s} matches, as {@code compiled().matcher(s).matches()} says. */
    public boolean matches(String s) {
        int fast = hand(s);
        return fast == UNSURE ? compiled().matcher(s).matches() : fast == YES;
    }

    /** The hand matcher's verdict alone (tests compare it with the expression's). */
    int hand(String s) {
        switch (matcher) {
            case NAME: return verdict(name(s));
            case IMAGE: return verdict(image(s));
            case NETWORK: return verdict(network(s));
            case ENV: return verdict(env(s));
            case DURATION: return verdict(duration(s, 4, 6, 8, false));
            case TIMEOUT: return verdict(duration(s, 3, 5, 7, false));
            case PERIOD: return verdict(duration(s, 3, 5, 7, true));
            case GOVERNOR: return verdict(governor(s));
            case ABSOLUTE: return verdict(absolute(s));
            case HEALTH_URL: return verdict(healthUrl(s));
            case HEALTH_TCP: return verdict(healthTcp(s));
            case WORDS: return words(s);
            case WORD: return verdict(s.indexOf('\0') < 0);
            case PORTS: return ports(s);
            case VOLUME: return verdict(volume(s));
            case TAG: return verdict(tag(s));
            case BUCKET: return verdict(governor(s));
            case KEY: return verdict(key(s));
            default: return UNSURE;
        }
    }

    private static int verdict(boolean b) {
        return b ? YES : NO;
    }

    private static boolean alpha(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean alnum(char c) {
        return alpha(c) || digit(c);
    }

    private static boolean lowerAlnum(char c) {
        return c >= 'a' && c <= 'z' || digit(c);
    }

    private static boolean hex(char c) {
        return digit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    /** {@code \s} of Java's and Ruby's expressions: tab, LF, VT, FF, CR and space. */
    public static boolean blank(char c) {
        return c >= '\t' && c <= '\r' || c == ' ';
    }

    /** Whether every character of {@code s} from {@code from} to {@code to} is a letter, a digit or one of {@code extra}. */
    private static boolean only(String s, int from, int to, String extra) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!alnum(c) && extra.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether the characters of {@code s} from {@code from} to its end are lower-case hex digits. */
    private static boolean lowerHex(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(digit(c) || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** {@code ^[0-9a-f]{64}$}: a SHA-256 written out, as the spec-hash labels of releases before v2 are. */
    public static boolean sha256Hex(String s) {
        return s.length() == 64 && lowerHex(s, 0);
    }

    /** {@code ^(?!purge$)[a-zA-Z][a-zA-Z0-9_-]+$} */
    private static boolean name(String s) {
        return s.length() >= 2 && alpha(s.charAt(0)) && !s.equals("purge") && only(s, 1, s.length(), "_-");
    }

    /** {@code ^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$} */
    private static boolean network(String s) {
        return !s.isEmpty() && s.length() <= 64 && alnum(s.charAt(0)) && only(s, 1, s.length(), "_.-");
    }

    /** {@code ^[A-Za-z_][A-Za-z0-9_]*=[^\x00]*$} */
    private static boolean env(String s) {
        int eq = s.indexOf('=');
        return eq >= 1 && (alpha(s.charAt(0)) || s.charAt(0) == '_') && only(s, 1, eq, "_") && s.indexOf('\0', eq) < 0;
    }

    /**
     * A number of at most hours/minutes/seconds digits (by its unit) and its unit h, m or s, no
     * leading zero; {@code zero}: 0 alone is a number too. DURATION is 4/6/8 without zero, TIMEOUT
     * 3/5/7 without, PERIOD 3/5/7 with.
     */
    private static boolean duration(String s, int hours, int minutes, int seconds, boolean zero) {
        int n = s.length() - 1;
        if (n < 1) {
            return false;
        }
        char unit = s.charAt(n);
        int max = unit == 'h' ? hours : unit == 'm' ? minutes : unit == 's' ? seconds : 0;
        if (n > max) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (!digit(s.charAt(i))) {
                return false;
            }
        }
        return s.charAt(0) != '0' || zero && n == 1;
    }

    /** {@code ^[a-zA-Z0-9_-]+$} (governors and KV buckets) */
    private static boolean governor(String s) {
        return !s.isEmpty() && only(s, 0, s.length(), "_-");
    }

    /** {@code ^[-/_a-zA-Z0-9]+$} */
    private static boolean key(String s) {
        return !s.isEmpty() && only(s, 0, s.length(), "_-/");
    }

    /** {@code ^/(?:[^\n/\x00][^\n\x00]*)?$} */
    private static boolean absolute(String s) {
        if (s.isEmpty() || s.charAt(0) != '/') {
            return false;
        }
        if (s.length() > 1 && s.charAt(1) == '/') {
            return false;
        }
        return s.indexOf('\n') < 0 && s.indexOf('\0') < 0;
    }

    /** {@code ^/[^:\n\x00]*:/[^:\n\x00]*(?::(?:ro|rw))?$} */
    private static boolean volume(String s) {
        if (s.indexOf('\n') >= 0 || s.indexOf('\0') >= 0 || s.isEmpty() || s.charAt(0) != '/') {
            return false;
        }
        int first = s.indexOf(':');
        if (first < 0 || first + 1 >= s.length() || s.charAt(first + 1) != '/') {
            return false;
        }
        int second = s.indexOf(':', first + 1);
        if (!notRoot(s, first + 1, second < 0 ? s.length() : second)) {
            return false;
        }
        if (second < 0) {
            return true;
        }
        String mode = s.substring(second + 1);
        return mode.equals("ro") || mode.equals("rw");
    }

    /**
     * Whether the path from {@code from} to {@code to} names something below {@code /}: a component other
     * than empty, {@code .} and {@code ..} (Docker refuses a mount whose target cleans to {@code /}).
     */
    private static boolean notRoot(String s, int from, int to) {
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || s.charAt(i) == '/') {
                int n = i - start;
                if (n > 2 || n == 1 && s.charAt(start) != '.' || n == 2 && !(s.charAt(start) == '.' && s.charAt(start + 1) == '.')) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    /** {@code ^(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|sha256:[a-f0-9]{64})$} */
    private static boolean tag(String s) {
        return plainTag(s) || digest(s);
    }

    private static boolean plainTag(String s) {
        return !s.isEmpty() && s.length() <= 128 && (alnum(s.charAt(0)) || s.charAt(0) == '_') && only(s, 1, s.length(), "_.-");
    }

    /** {@code ^sha256:[a-f0-9]{64}$} */
    static boolean digest(String s) {
        return s.length() == 71 && s.startsWith("sha256:") && lowerHex(s, 7);
    }

    /** A port 1-65535 without a leading zero: the characters of {@code s} from {@code from} to {@code to}. */
    private static boolean port(String s, int from, int to) {
        int n = to - from;
        if (n < 1 || n > 5 || s.charAt(from) == '0') {
            return false;
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!digit(c)) {
                return false;
            }
            v = v * 10 + (c - '0');
        }
        return v <= 65535;
    }

    /** An IPv4 address, four octets 0-255 without leading zeros, from {@code from} to {@code to}. */
    private static boolean ipv4(String s, int from, int to) {
        int octets = 0;
        int i = from;
        while (true) {
            int start = i;
            int v = 0;
            while (i < to && digit(s.charAt(i))) {
                v = v * 10 + (s.charAt(i) - '0');
                i++;
                if (i - start > 3) {
                    return false;
                }
            }
            int n = i - start;
            if (n == 0 || n > 1 && s.charAt(start) == '0' || v > 255) {
                return false;
            }
            octets++;
            if (octets == 4) {
                return i == to;
            }
            if (i >= to || s.charAt(i) != '.') {
                return false;
            }
            i++;
        }
    }

    /** The loopback hosts of the probes, {@code 127.0.0.1}, {@code localhost} or {@code [::1]}, then a colon: their length with it, or -1. */
    private static int loopbackColon(String s, int from) {
        if (s.startsWith("127.0.0.1:", from)) {
            return 10;
        }
        if (s.startsWith("localhost:", from)) {
            return 10;
        }
        if (s.startsWith("[::1]:", from)) {
            return 6;
        }
        return -1;
    }

    /** {@code ^(?:LOOPBACK:)?PORT$} */
    private static boolean healthTcp(String s) {
        int host = loopbackColon(s, 0);
        return port(s, host < 0 ? 0 : host, s.length());
    }

    /** {@code ^http://LOOPBACK:PORT(?:/(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?$} */
    private static boolean healthUrl(String s) {
        if (!s.startsWith("http://")) {
            return false;
        }
        int host = loopbackColon(s, 7);
        if (host < 0) {
            return false;
        }
        int from = 7 + host;
        int slash = s.indexOf('/', from);
        if (!port(s, from, slash < 0 ? s.length() : slash)) {
            return false;
        }
        if (slash < 0) {
            return true;
        }
        for (int i = slash + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || !hex(s.charAt(i + 1)) || !hex(s.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (!alnum(c) && "._~!$&'()*+,;=:@/?-".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code ^(?:[SPACE]|\\\n)*(?:[^'"\\\x00SPACE]|'...'|"..."|\\[^\n\x00])(?:...)*$}: a string
     * without quotes or backslashes matches when it has no NUL and a character that is not a blank
     * (tab, LF, VT, FF, CR, space); the rest is the expression's.
     */
    private static int words(String s) {
        boolean word = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"' || c == '\\') {
                return UNSURE;
            }
            if (c == '\0') {
                return NO;
            }
            if (!blank(c)) {
                word = true;
            }
        }
        return verdict(word);
    }

    /**
     * {@code ^(?:IPV4:|\[IPV6\]:)?PORT:PORT(?:/(?:tcp|udp|sctp))?$}; a bracketed IPv6 address is
     * the expression's.
     */
    private static int ports(String s) {
        if (s.startsWith("[")) {
            return UNSURE;
        }
        int end = s.length();
        int slash = s.indexOf('/');
        if (slash >= 0) {
            String proto = s.substring(slash + 1);
            if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
                return NO;
            }
            end = slash;
        }
        int last = s.lastIndexOf(':', end - 1);
        if (last < 0 || !port(s, last + 1, end)) {
            return NO;
        }
        int before = last == 0 ? -1 : s.lastIndexOf(':', last - 1);
        if (before < 0) {
            return verdict(port(s, 0, last));
        }
        return verdict(port(s, before + 1, last) && ipv4(s, 0, before));
    }

    /**
     * {@code ^(?=[a-zA-Z0-9._:/-]{1,255}$)(?:REGISTRY/)?PATH(?:/PATH)*$}, REGISTRY being
     * {@code DOMAIN(?:\.DOMAIN)+(?::PORT)?}, {@code DOMAIN:PORT} or {@code localhost}: the
     * components between slashes are all path components, or the first is a registry and the rest
     * are.
     */
    private static boolean image(String s) {
        int n = s.length();
        if (n < 1 || n > 255) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!alnum(c) && c != '.' && c != '_' && c != ':' && c != '/' && c != '-') {
                return false;
            }
        }
        int first = s.indexOf('/');
        boolean restArePaths = first < 0 || paths(s, first + 1);
        if (!restArePaths) {
            return false;
        }
        int firstEnd = first < 0 ? n : first;
        return pathComponent(s, 0, firstEnd) || first >= 0 && registry(s, 0, firstEnd);
    }

    /** The components from {@code from} to the end, between slashes, are all path components. */
    private static boolean paths(String s, int from) {
        int start = from;
        while (true) {
            int slash = s.indexOf('/', start);
            int end = slash < 0 ? s.length() : slash;
            if (!pathComponent(s, start, end)) {
                return false;
            }
            if (slash < 0) {
                return true;
            }
            start = slash + 1;
        }
    }

    /** {@code [a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*} from {@code from} to {@code to}. */
    private static boolean pathComponent(String s, int from, int to) {
        if (from >= to || !lowerAlnum(s.charAt(from)) || !lowerAlnum(s.charAt(to - 1))) {
            return false;
        }
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (lowerAlnum(c)) {
                i++;
                continue;
            }
            int start = i;
            while (i < to && !lowerAlnum(s.charAt(i))) {
                i++;
            }
            String sep = s.substring(start, i);
            if (!sep.equals(".") && !sep.equals("_") && !sep.equals("__") && !dashes(sep)) {
                return false;
            }
        }
        return true;
    }

    private static boolean dashes(String sep) {
        for (int i = 0; i < sep.length(); i++) {
            if (sep.charAt(i) != '-') {
                return false;
            }
        }
        return true;
    }

    /** A registry, from {@code from} to {@code to}: localhost, DOMAIN:PORT or DOMAIN(.DOMAIN)+[:PORT]. */
    private static boolean registry(String s, int from, int to) {
        if (s.regionMatches(from, "localhost", 0, 9) && to - from == 9) {
            return true;
        }
        int colon = s.indexOf(':', from);
        int hostEnd = colon < 0 || colon >= to ? to : colon;
        if (hostEnd < to && !port(s, hostEnd + 1, to)) {
            return false;
        }
        int labels = 0;
        int start = from;
        while (true) {
            int dot = s.indexOf('.', start);
            int end = dot < 0 || dot >= hostEnd ? hostEnd : dot;
            if (!domainComponent(s, start, end)) {
                return false;
            }
            labels++;
            if (end == hostEnd) {
                break;
            }
            start = end + 1;
        }
        return labels >= 2 || hostEnd < to;
    }

    /** {@code [a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?} from {@code from} to {@code to}. */
    private static boolean domainComponent(String s, int from, int to) {
        if (from >= to || !alnum(s.charAt(from)) || !alnum(s.charAt(to - 1))) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!alnum(c) && c != '-') {
                return false;
            }
        }
        return true;
    }
}

package dev.synedge.net;

/**
 * Linux x86_64 errno values the socket code meets, with their symbolic names for messages.
 * Only the numbers the project branches on are constants; {@link #name(int)} knows more.
 */
public final class Errno {

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int EPIPE = 32;
    public static final int ENOPROTOOPT = 92;
    public static final int EPROTONOSUPPORT = 93;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETUNREACH = 101;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    public static final int ENOBUFS = 105;
    public static final int EISCONN = 106;
    public static final int ENOTCONN = 107;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;
    public static final int EALREADY = 114;
    public static final int EINPROGRESS = 115;

    private static final String[] NAMES = new String[134];

    static {
        String[] known = {
            "1 EPERM", "2 ENOENT", "3 ESRCH", "4 EINTR", "5 EIO", "6 ENXIO", "7 E2BIG", "8 ENOEXEC",
            "9 EBADF", "10 ECHILD", "11 EAGAIN", "12 ENOMEM", "13 EACCES", "14 EFAULT", "16 EBUSY",
            "17 EEXIST", "19 ENODEV", "20 ENOTDIR", "21 EISDIR", "22 EINVAL", "23 ENFILE", "24 EMFILE",
            "25 ENOTTY", "27 EFBIG", "28 ENOSPC", "29 ESPIPE", "30 EROFS", "32 EPIPE", "34 ERANGE",
            "38 ENOSYS", "75 EOVERFLOW", "88 ENOTSOCK", "89 EDESTADDRREQ", "90 EMSGSIZE",
            "91 EPROTOTYPE", "92 ENOPROTOOPT", "93 EPROTONOSUPPORT", "94 ESOCKTNOSUPPORT",
            "95 EOPNOTSUPP", "96 EPFNOSUPPORT", "97 EAFNOSUPPORT", "98 EADDRINUSE", "99 EADDRNOTAVAIL",
            "100 ENETDOWN", "101 ENETUNREACH", "102 ENETRESET", "103 ECONNABORTED", "104 ECONNRESET",
            "105 ENOBUFS", "106 EISCONN", "107 ENOTCONN", "108 ESHUTDOWN", "110 ETIMEDOUT",
            "111 ECONNREFUSED", "112 EHOSTDOWN", "113 EHOSTUNREACH", "114 EALREADY", "115 EINPROGRESS",
        };
        for (String entry : known) {
            int space = entry.indexOf(' ');
            NAMES[Integer.parseInt(entry, 0, space, 10)] = entry.substring(space + 1);
        }
    }

    private Errno() {}

    /** The symbolic name of {@code errno}, e.g. {@code ECONNREFUSED}, or {@code errno 42}. */
    public static String name(int errno) {
        String name = errno > 0 && errno < NAMES.length ? NAMES[errno] : null;
        return name != null ? name : "errno " + errno;
    }
}

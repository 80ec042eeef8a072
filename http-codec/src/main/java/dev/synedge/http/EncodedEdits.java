package dev.synedge.http;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * A route's {@link HeaderEdits} encoded once: the names to remove as lower-case bytes and the
 * fields to add as one block of field lines, ready to copy. Refuses edits of the fields the
 * proxy itself manages (framing, hop-by-hop, Host, Via), since those would break framing or
 * the forwarding rules.
 */
final class EncodedEdits {

    private final byte[][] remove;
    final byte[] add;

    EncodedEdits(HeaderEdits edits) {
        List<String> names = edits.remove();
        remove = new byte[names.size()][];
        for (int i = 0; i < remove.length; i++) {
            remove[i] = checkedName(names.get(i));
        }
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (HeaderEdits.Field f : edits.add()) {
            checkedName(f.name());
            byte[] value = Ascii.bytes(f.value());
            for (int i = 0; i < value.length; i++) {
                if (!Ascii.isValueByte(value[i])
                        || ((i == 0 || i == value.length - 1) && Ascii.isOws(value[i]))) {
                    throw new IllegalArgumentException("invalid value for added header field " + f.name()
                            + ": control character or surrounding whitespace");
                }
            }
            block.writeBytes(Ascii.bytes(f.name()));
            block.writeBytes(new byte[] {':', ' '});
            block.writeBytes(value);
            block.writeBytes(new byte[] {'\r', '\n'});
        }
        add = block.toByteArray();
    }

    private static byte[] checkedName(String name) {
        byte[] b = Ascii.bytes(name);
        if (b.length == 0) {
            throw new IllegalArgumentException("empty header field name");
        }
        for (byte c : b) {
            if (!Ascii.isTchar(c)) {
                throw new IllegalArgumentException("invalid header field name: " + name);
            }
        }
        int kind = FieldKind.of(b, 0, b.length);
        switch (kind) {
            case FieldKind.HOST, FieldKind.CONTENT_LENGTH, FieldKind.TRANSFER_ENCODING, FieldKind.CONNECTION,
                 FieldKind.KEEP_ALIVE, FieldKind.PROXY_CONNECTION, FieldKind.TE, FieldKind.UPGRADE,
                 FieldKind.TRAILER, FieldKind.VIA -> throw new IllegalArgumentException(
                    "header field " + name + " is managed by the proxy and cannot be edited");
            default -> {
            }
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Ascii.lower(b[i]);
        }
        return b;
    }

    boolean isEmpty() {
        return remove.length == 0 && add.length == 0;
    }

    /** True if field {@code i} of {@code head} is to be removed. */
    boolean removes(MessageHead head, int i) {
        if (remove.length == 0) {
            return false;
        }
        int ns = head.nameStart(i);
        int len = head.nameEnd(i) - ns;
        for (byte[] name : remove) {
            if (name.length == len && Ascii.equalsLower(head.buffer(), ns, len, name)) {
                return true;
            }
        }
        return false;
    }
}

package dev.synedge.http;

import java.util.List;
import java.util.Locale;

/**
 * Header fields a route removes from and adds to a forwarded head. Removal happens first and
 * matches names case-insensitively; added fields go at the end, in the order given.
 */
public record HeaderEdits(List<Field> add, List<String> remove) {

    public static final HeaderEdits NONE = new HeaderEdits(List.of(), List.of());

    public HeaderEdits {
        add = List.copyOf(add);
        remove = remove.stream().map(name -> name.toLowerCase(Locale.ROOT)).toList();
    }

    public boolean isEmpty() {
        return add.isEmpty() && remove.isEmpty();
    }

    /** One field to add, as written. */
    public record Field(String name, String value) {}
}

package dev.euclid.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A Python iterator, which several Jinja2 filters return (map, select, unique, items, reverse...):
 * always true, without a length, consumed by iterating, and printed with a memory address (so
 * printing one is an error here). Like a Python generator it does its work, and raises its
 * errors, only when first iterated: {@code if 42|items} is true, {@code 42|items|list} fails.
 * Templates that test {@code if messages|selectattr(...)} rely on this.
 */
final class PyIterator {
    /** The Python type name: generator, list_reverseiterator, ... */
    final String kind;
    private Supplier<List<Object>> producer;
    private List<Object> items;
    private int next;

    PyIterator(String kind, Supplier<List<Object>> producer) {
        this.kind = kind;
        this.producer = producer;
    }

    private List<Object> items() {
        if (items == null) {
            items = producer.get();
            producer = null;
        }
        return items;
    }

    /** The items not consumed yet, consuming them. */
    List<Object> drain() {
        List<Object> all = items();
        List<Object> rest = new ArrayList<>(all.subList(next, all.size()));
        next = all.size();
        return rest;
    }

    boolean hasNext() {
        return next < items().size();
    }

    Object next() {
        return items().get(next++);
    }
}

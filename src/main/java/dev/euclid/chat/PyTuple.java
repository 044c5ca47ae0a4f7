package dev.euclid.chat;

import java.util.List;

/** A Python tuple: like a list, but printed with parentheses and never equal to a list. */
record PyTuple(List<Object> items) {
    static PyTuple of(Object... items) {
        return new PyTuple(java.util.Arrays.asList(items));
    }
}

package dev.euclid.chat;

import java.util.LinkedHashMap;
import java.util.Map;

/** Jinja2's {@code namespace()}: the one mutable object, whose attributes {@code set ns.x = ...} may assign. */
final class Namespace {
    final Map<String, Object> attributes = new LinkedHashMap<>();
}

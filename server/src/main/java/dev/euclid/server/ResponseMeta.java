package dev.euclid.server;

/** The fields every object of one response repeats (each stream chunk included). */
record ResponseMeta(String id, long created, String model) {}

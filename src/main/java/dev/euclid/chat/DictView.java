package dev.euclid.chat;

import java.util.List;

/** What dict.keys()/values()/items() return: iterable and sized like a list, printed as e.g. dict_keys([...]). */
record DictView(String kind, List<Object> items) {}

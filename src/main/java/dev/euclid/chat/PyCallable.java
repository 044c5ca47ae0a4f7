package dev.euclid.chat;

import java.util.List;
import java.util.Map;

/** Something a template may call: a macro, a global function, a bound method of a value. */
interface PyCallable {
    Object call(List<Object> args, Map<String, Object> kwargs);
}

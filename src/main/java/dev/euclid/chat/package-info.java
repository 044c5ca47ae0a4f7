/**
 * Chat templates: the Jinja templates models ship in tokenizer_config.json, chat_template.jinja
 * or GGUF metadata, rendered exactly as Hugging Face transformers renders them (Jinja2 3.1 in its
 * immutable sandbox with trim_blocks and lstrip_blocks). {@link dev.euclid.chat.ChatTemplate} is
 * the API; the rest is the renderer, one job per file:
 *
 * <ul>
 *   <li>{@code Lexer} splits the source into tokens with Jinja2's whitespace rules; {@code Parser}
 *       builds {@code Stmt}/{@code Expr} trees with Jinja2's grammar.
 *   <li>{@code Renderer} executes them in {@code Scope}s (a for-loop iteration, a macro call and a
 *       block each get their own, as in Jinja2); {@code Macro} is a template-defined function.
 *   <li>Python's value semantics: {@code PyOps} (operators, truthiness, equality), {@code PyStr}
 *       (str/repr, float printing), {@code PyStrings} and {@code PyMethods} (str/dict/list methods),
 *       {@code PyAccess} (attribute and item lookup in the sandbox), {@code PyFormat} ({@code %}
 *       and str.format), {@code Slices}, {@code JsonDumps} (json.dumps for tojson).
 *   <li>Jinja2's library: {@code Filters}, {@code JinjaTests}, and the values only templates
 *       have ({@code Undefined}, {@code Namespace}, {@code LoopContext}, {@code PyIterator},
 *       {@code Markup}, {@code PyTuple}, {@code DictView}).
 *   <li>{@code ChatTemplateFiles} finds templates and special tokens in a model's files.
 * </ul>
 */
package dev.euclid.chat;

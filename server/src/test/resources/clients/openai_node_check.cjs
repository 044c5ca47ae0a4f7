// Drives a running `euclid serve` with npm's `openai` client: one streaming chat.
// Usage: node openai_node_check.cjs BASE_URL API_KEY MODEL (NODE_PATH pointing at the installed node_modules).
// Prints one JSON object; the Java test compares it with the in-process API's greedy tokens.
const OpenAI = require('openai');

async function main() {
  const [baseURL, apiKey, model] = process.argv.slice(2);
  const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 60000 });
  const stream = await client.chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'Once upon a time' }],
    max_tokens: 50,
    temperature: 0,
    stream: true,
    stream_options: { include_usage: true },
  });
  const pieces = [];
  let finishReason = null;
  let usage = null;
  let role = null;
  for await (const chunk of stream) {
    if (chunk.usage) usage = chunk.usage.completion_tokens;
    for (const choice of chunk.choices) {
      if (choice.delta.role) role = choice.delta.role;
      if (choice.delta.content) pieces.push(choice.delta.content);
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
  }
  console.log(JSON.stringify({ content: pieces.join(''), chunks: pieces.length, role, finish_reason: finishReason, usage }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

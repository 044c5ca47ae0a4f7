package dev.euclid.synthetic;

/**
 * Built-in training text for {@link SyntheticTokenizer}: English prose, source code, several
 * scripts with accents, CJK, emoji, digits and whitespace runs, so that the learned merges
 * cover every kind of input the tests throw at a byte-level tokenizer. Written for this project.
 */
public final class SyntheticCorpus {
    private SyntheticCorpus() {
    }

    public static final String TEXT = """
            Once upon a time, in a small town by the sea, there lived a little girl who loved to count the waves.
            Every morning she walked to the harbour with her grandfather, and every morning he asked her the same question:
            "How many boats went out before the sun came up?" She would think for a while and then answer, always with a smile.
            The fishermen knew her name. They waved at her, and sometimes they gave her a shell or a smooth grey stone.
            One day a storm came. The wind was loud, the rain was cold, and the boats stayed in the harbour for three days.
            When the sky was clear again, the whole town went down to the water to watch the first boat leave.
            It was a quiet, happy morning. The girl counted: one, two, three, four, five boats, and then she stopped counting.

            The quick brown fox jumps over the lazy dog. A journey of a thousand miles begins with a single step.
            Numbers matter: 3 apples, 12 eggs, 100 percent, 2024-05-17, 3.14159, 6.022e23, $19.99, 50% off, #42, and 1,000,000 stars.
            Questions? Answers! Lists; colons: dashes - and -- and (parentheses) [brackets] {braces} <angles> 'quotes' "double quotes".
            It's what they're saying: we've seen it, I'm sure, you'll see it, he'd know, they'd agree, and she's right.
            Researchers measured the throughput of the model with batch sizes of 1, 8, 32 and 128 and reported the latency in milliseconds.
            The engine schedules requests, allocates blocks for the key-value cache and streams tokens back to the caller.
            Tokenizers split text into pieces; the model sees numbers, not words, and the decoder turns numbers back into text.

            public final class Counter {
                private final Map<String, Integer> counts = new HashMap<>();

                public void add(String word) {
                    counts.merge(word, 1, Integer::sum);
                }

                public int get(String word) {
                    return counts.getOrDefault(word, 0);
                }

                @Override
                public String toString() {
                    return "Counter{" + counts + "}";
                }
            }

            def fibonacci(n: int) -> list[int]:
                result = [0, 1]
                while len(result) < n:
                    result.append(result[-1] + result[-2])
                return result[:n]

            for i in range(10):
                if i % 2 == 0:
                    print(f"{i} is even")
                else:
                    print(f"{i} is odd")

            #include <stdio.h>
            int main(int argc, char **argv) {
            \tfor (int i = 0; i < argc; i++) {
            \t\tprintf("%d: %s", i, argv[i]);
            \t}
            \treturn 0;
            }

            {"name": "euclid", "version": "0.1.0", "layers": 24, "heads": [14, 2], "tied": true, "eps": 1e-06}
            SELECT id, name, created_at FROM users WHERE active = 1 ORDER BY created_at DESC LIMIT 10;
            git commit -m "Fix the off-by-one error in the block table" && git push origin main
            x = a * b + c / d - e % f; y = (x << 2) | (x >> 3) & 0xFF; z = x != y && x >= 0 || y <= 0;

            Le café était fermé, alors nous sommes allés à la boulangerie acheter des croissants et une baguette.
            Où est la bibliothèque ? Elle se trouve près de l'église, à côté du théâtre et de l'hôpital.
            Die Straße war nass, und die Kinder liefen über die Brücke zur Schule. Grüße aus München und Köln!
            Übung macht den Meister; schön, größer, fröhlich, Mädchen, Äpfel, Öl und Süßigkeiten.
            El niño comió una manzana en el jardín. ¿Dónde está la estación? ¡Qué día tan bonito! Mañana será otro día.
            A criança pôs o pão na mesa; não há nada mais simples do que isso. Ação, coração, informação, São Paulo.
            Tiếng Việt có nhiều dấu: người, được, những, không, trường học, cảm ơn bạn rất nhiều.
            Ελληνικά: καλημέρα, ευχαριστώ πολύ, η θάλασσα είναι γαλάζια και ο ήλιος λάμπει.
            Русский текст: привет, как дела? Сегодня хорошая погода, и мы идём гулять в парк.
            Українська мова: дякую, будь ласка, добрий день, ґанок, їжак, єдність.
            Türkçe: güzel, çiçek, ağaç, ışık, öğrenci, şehir. Polski: zażółć gęślą jaźń, Łódź, Kraków.
            Čeština: příliš žluťoučký kůň úpěl ďábelské ódy. Dansk og norsk: blåbær, smørrebrød, ærlig.

            中文：今天天气很好，我们一起去公园散步吧。机器学习模型需要大量的数据和计算资源。
            你好，世界！这是一个用于测试分词器的句子，包括标点符号、数字123和英文words。
            日本語：吾輩は猫である。名前はまだ無い。東京の桜はとてもきれいです。ありがとうございます。
            カタカナ：コンピューター、プログラム、データベース、ネットワーク、トークナイザー。
            한국어: 안녕하세요, 만나서 반갑습니다. 오늘은 날씨가 정말 좋네요. 감사합니다!
            العربية: مرحبا بالعالم، كيف حالك اليوم؟ עברית: שלום עולם, מה שלומך?
            हिन्दी: नमस्ते दुनिया, आप कैसे हैं? ภาษาไทย: สวัสดีครับ ขอบคุณมาก

            Emoji time 😀😃😄 🚀 launch, 🎉 party, ❤️ love, 👍🏽 ok, 🇫🇷 flag, 👩‍💻 coder, 🐍 python, ☕ coffee.
            Math and symbols: ∑ ∫ √ ∞ ≈ ≠ ≤ ≥ ± × ÷ → ← ↔ ∀ ∃ ∈ ∉ ⊂ ∪ ∩ π θ λ μ σ Ω, € £ ¥ ₹ © ® ™ ° § ¶ • … “curly” ‘single’ — –.
            Whitespace runs:    four spaces,        eight spaces, tabs\t\there, and
            blank lines


            then text again.    Trailing spaces matter.
            """;
}

package dev.euclid.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Hugging Face folder with its single model.safetensors split into two shards and a
 * model.safetensors.index.json, the layout of every multi-gigabyte checkpoint on the hub.
 */
final class ShardedCopy {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ShardedCopy() {}

    static Path write(Path folder, Path out) throws IOException {
        Files.createDirectories(out);
        for (String f : List.of("config.json", "tokenizer.json", "tokenizer_config.json")) Files.copy(folder.resolve(f), out.resolve(f));
        byte[] bytes = Files.readAllBytes(folder.resolve("model.safetensors"));
        int headerLength = (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ObjectNode header = (ObjectNode) JSON.readTree(new String(bytes, 8, headerLength, StandardCharsets.UTF_8));
        header.remove("__metadata__");
        List<String> names = new ArrayList<>();
        header.fieldNames().forEachRemaining(names::add);
        ObjectNode index = JSON.createObjectNode();
        index.putObject("metadata").put("total_size", bytes.length - 8 - headerLength);
        ObjectNode weightMap = index.putObject("weight_map");
        int half = names.size() / 2;
        for (int shard = 0; shard < 2; shard++) {
            String file = "model-0000" + (shard + 1) + "-of-00002.safetensors";
            List<String> mine = shard == 0 ? names.subList(0, half) : names.subList(half, names.size());
            ObjectNode shardHeader = JSON.createObjectNode();
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            for (String name : mine) {
                ObjectNode t = header.get(name).deepCopy();
                long begin = t.get("data_offsets").get(0).asLong();
                long end = t.get("data_offsets").get(1).asLong();
                data.write(bytes, (int) (8 + headerLength + begin), (int) (end - begin));
                t.putArray("data_offsets").add(data.size() - (end - begin)).add(data.size());
                shardHeader.set(name, t);
                weightMap.put(name, file);
            }
            Files.write(out.resolve(file), safetensors(shardHeader, data.toByteArray()));
        }
        Files.write(out.resolve("model.safetensors.index.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(index));
        return out;
    }

    private static byte[] safetensors(ObjectNode header, byte[] data) throws IOException {
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) b.put((byte) ' ');
        return b.put(data).array();
    }
}

package dev.euclid.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The small pieces of the hub protocol: Link headers, URL quoting, origins, file patterns and paths. */
class HubProtocolTest {
    @Test
    void nextPageLinks() {
        assertEquals("https://huggingface.co/api/models/a/b/tree/main?recursive=true&cursor=abc",
                RepoTree.nextLink("<https://huggingface.co/api/models/a/b/tree/main?recursive=true&cursor=abc>; rel=\"next\""));
        assertEquals("/p2", RepoTree.nextLink("</p0>; rel=\"prev\", </p2>; rel=next"));
        assertEquals("/p3", RepoTree.nextLink("</p3>; title=\"x\"; rel=\"last next\""));
        assertNull(RepoTree.nextLink("</p0>; rel=\"prev\""));
        assertNull(RepoTree.nextLink("garbage"));
    }

    @Test
    void urlsQuoteTheRevisionWholeAndKeepPathSlashes() {
        URI endpoint = URI.create("https://mirror.example/hf");
        HubModelId id = HubModelId.parse("hf:org/name@refs/pr/1");
        assertEquals("https://mirror.example/hf/api/models/org/name/revision/refs%2Fpr%2F1", HubUrls.revision(endpoint, id).toString());
        assertEquals("https://mirror.example/hf/org/name/resolve/refs%2Fpr%2F1/sub%20dir/m%C3%BC.gguf",
                HubUrls.resolve(endpoint, id, id.revision(), "sub dir/mü.gguf").toString());
        assertEquals("https://mirror.example/hf/api/models/org/name/tree/c0ffee?recursive=true", HubUrls.tree(endpoint, id, "c0ffee").toString());
    }

    @Test
    void theTokenGoesOnlyToTheSameSchemeHostAndPort() {
        URI hub = URI.create("https://huggingface.co");
        assertTrue(HubHttp.sameOrigin(URI.create("https://HuggingFace.co:443/api/x"), hub));
        assertFalse(HubHttp.sameOrigin(URI.create("http://huggingface.co/api/x"), hub), "no token over plain http");
        assertFalse(HubHttp.sameOrigin(URI.create("https://huggingface.co:8443/x"), hub));
        assertFalse(HubHttp.sameOrigin(URI.create("https://cdn-lfs.huggingface.co/x"), hub));
        assertFalse(HubHttp.sameOrigin(URI.create("https://huggingface.co.evil.example/x"), hub));
        assertEquals("https://cdn.example/blobs/x", HubHttp.printable(URI.create("https://cdn.example/blobs/x?X-Amz-Signature=secret")));
    }

    @Test
    void globsMeanWhatFnmatchMeans() {
        assertTrue(new RepoGlob("*Q8_0.gguf").matches("Qwen2.5-Math-1.5B-Instruct-Q8_0.gguf"));
        assertTrue(new RepoGlob("*Q8_0.gguf").matches("quants/model-Q8_0.gguf"), "* crosses '/' as in fnmatch");
        assertFalse(new RepoGlob("*Q8_0.gguf").matches("model-q8_0.gguf"), "case matters");
        assertTrue(new RepoGlob("model-Q?_K_M.gguf").matches("model-Q4_K_M.gguf"));
        assertTrue(new RepoGlob("model-Q[45]_0.gguf").matches("model-Q5_0.gguf"));
        assertFalse(new RepoGlob("model-Q[!45]_0.gguf").matches("model-Q5_0.gguf"));
        assertTrue(new RepoGlob("a.b+(c)$.gguf").matches("a.b+(c)$.gguf"), "regex characters are literal");
        assertFalse(new RepoGlob("a.b.gguf").matches("aXb.gguf"));
        assertTrue(new RepoGlob("[.]x").matches(".x"));
    }

    @Test
    void repositoryPathsMustStayInsideTheSnapshot() {
        for (String bad : new String[] {"", "/etc/passwd", "../x", "a/../../x", "a//b", "a/./b", "a\\b", "a/", "x\u0000y"}) {
            assertFalse(RepoFile.isSafePath(bad), bad);
        }
        assertTrue(RepoFile.isSafePath("sub/dir/model-00001-of-00002.safetensors"));
        assertThrows(IllegalArgumentException.class, () -> new RepoFile("config.json", 10, "../../x", false));
        assertThrows(IllegalArgumentException.class, () -> new RepoFile("m.gguf", 10, "0123456789abcdef0123456789abcdef01234567", true),
                "an LFS etag is a sha256");
    }
}

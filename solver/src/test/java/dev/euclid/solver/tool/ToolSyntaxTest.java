package dev.euclid.solver.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.euclid.solver.ExecutionResult;
import dev.euclid.solver.ExecutionResult.Status;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ToolSyntaxTest {
    private static final ToolSyntax FENCED = ToolSyntax.fencedPython();
    private static final ToolSyntax TAGGED = ToolSyntax.tagged("<tool_call>", "</tool_call>", "<tool_response>", "</tool_response>");

    @Test
    void aPythonBlockTheTurnEndsWithIsACall() {
        assertEquals(Optional.of("print(2**100 % 7)\n"), FENCED.call("Compute it.\n```python\nprint(2**100 % 7)\n```\n"));
        assertEquals(Optional.of("x = 1\nprint(x)\n"), FENCED.call("```python\nx = 1\nprint(x)\n```\n```output"),
                "NuminaMath's stop: the model opened the output block itself");
        assertEquals(Optional.empty(), FENCED.call("```python\nprint(1)\n```\nSo the answer is 1."), "prose after it: no call");
        assertEquals(Optional.empty(), FENCED.call("```text\nsome table\n```\n"), "another block closed");
        assertEquals(Optional.empty(), FENCED.call("```python\n\n```\n"), "nothing to run");
    }

    @Test
    void theOutputBlockCarriesStdoutOrTheTraceback() {
        ExecutionResult ok = new ExecutionResult(Status.OK, "2\n", "", 0.01);
        assertEquals("```output\n2\n```\n", FENCED.output(ok, "```\n"));
        assertEquals("\n2\n```\n", FENCED.output(ok, "```output"));
        ExecutionResult error = new ExecutionResult(Status.ERROR, "partial\n", "Traceback ...\nZeroDivisionError: division by zero\n", 0.01);
        assertEquals("```output\npartial\nTraceback ...\nZeroDivisionError: division by zero\n```\n", FENCED.output(error, "```\n"));
        assertEquals("```output\nTimeoutError: the code ran past its time limit\n```\n",
                FENCED.output(new ExecutionResult(Status.TIMEOUT, "", "", 10), "```\n"));
        assertEquals("```output\n```\n", FENCED.output(new ExecutionResult(Status.OK, "", "", 0.01), "```\n"));
    }

    @Test
    void theStopAServerDroppedIsInferredFromTheText() {
        assertEquals("```\n", FENCED.inferStop("Let me check.\n```python\nprint(1)\n"));
        assertEquals("```output", FENCED.inferStop("```python\nprint(1)\n```\n"));
        assertNull(FENCED.inferStop("The answer is \\boxed{3}."));
        assertNull(FENCED.inferStop("```python\nprint(1)\n```\nThus 1."));
        assertEquals("</tool_call>", TAGGED.inferStop("<tool_call>\nprint(1)\n"));
        assertNull(TAGGED.inferStop("done"));
    }

    @Test
    void taggedCallsUnwrapAFenceInside() {
        assertEquals(Optional.of("print(1)\n"), TAGGED.call("Run:\n<tool_call>\n```python\nprint(1)\n```\n</tool_call>"));
        assertEquals(Optional.of("print(2)"), TAGGED.call("<tool_call>print(2)</tool_call>\n"));
        assertEquals(Optional.empty(), TAGGED.call("<tool_call>print(2)"));
        assertEquals("\n<tool_response>\n7\n</tool_response>\n", TAGGED.output(new ExecutionResult(Status.OK, "7\n", "", 0), "</tool_call>"));
    }
}

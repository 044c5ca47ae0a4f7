package dev.euclid.solver.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunBudgetTest {
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void timeAnEasyProblemDoesNotUseFlowsToTheRest() {
        RunBudget b = new RunBudget(Duration.ofMinutes(100), 10, null); // share 10 min, floor 2.5, cap 20
        assertEquals(Duration.ofMinutes(10), b.next());
        b.finished(Duration.ofMinutes(1)); // early stop: 9 minutes saved
        assertEquals(Duration.ofMinutes(11), b.next(), "99 minutes over 9 problems");
    }

    @Test
    void hardProblemsFirstCannotStarveTheProblemsAfterThem() {
        // 50 problems in 9 hours (AIMO): share 10.8 min; hard ones use all they get.
        RunBudget b = new RunBudget(Duration.ofHours(9), 50, null);
        Duration share = Duration.ofHours(9).dividedBy(50);
        for (int i = 0; i < 25; i++) {
            Duration next = b.next();
            assertEquals(share, next, "problem " + i + " gets its equal share, no more");
            b.finished(next);
        }
        assertEquals(share.multipliedBy(25), b.left(), "the second half keeps its time");
    }

    @Test
    void savedTimeIsCappedPerProblemAndTheFloorHoldsWhileTimeLasts() {
        RunBudget b = new RunBudget(HOUR, 4, null); // share 15 min, floor 3.75, cap 30
        b.finished(Duration.ofMinutes(1));
        b.finished(Duration.ofMinutes(1));
        assertEquals(Duration.ofMinutes(29), b.next(), "58 over 2 is 29, under the cap");
        b.finished(Duration.ofMinutes(55)); // overran: only 3 minutes left for the last
        assertEquals(Duration.ofMinutes(3), b.next(), "never more than is left");
        b.finished(Duration.ofMinutes(3));
        assertEquals(Duration.ZERO, b.next());

        RunBudget capped = new RunBudget(HOUR, 3, Duration.ofMinutes(5));
        assertEquals(Duration.ofMinutes(5), capped.next(), "an explicit per-problem limit caps the share");
    }

    @Test
    void aResumedRunCountsTheTimeItsFinishedProblemsTook() {
        RunBudget b = new RunBudget(HOUR, 6, null);
        b.alreadySpent(Duration.ofMinutes(40), 2);
        assertEquals(Duration.ofMinutes(5), b.next(), "20 minutes over 4 problems");
    }

    @Test
    void badBudgetsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RunBudget(Duration.ZERO, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new RunBudget(HOUR, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new RunBudget(HOUR, 1, Duration.ofSeconds(-1)));
    }
}

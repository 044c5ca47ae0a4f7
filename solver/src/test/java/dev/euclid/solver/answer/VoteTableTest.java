package dev.euclid.solver.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VoteTableTest {
    @Test
    void majorityWinsAndTheRankingCountsBallots() {
        VoteTable t = new VoteTable();
        for (String a : List.of("52", "17", "52", "3", "52", "17")) t.add(a);
        assertEquals(Optional.of("52"), t.winner());
        assertEquals(List.of(new VoteTable.Entry("52", 3, 3.0), new VoteTable.Entry("17", 2, 2.0),
                new VoteTable.Entry("3", 1, 1.0)), t.ranking());
        assertEquals(6, t.ballots());
    }

    @Test
    void tiesBreakTheSameWayWhateverOrderTheBallotsCameIn() {
        List<String> ballots = new ArrayList<>(List.of("100", "7", "x+1", "7", "100", "x+1", "-3", "-3"));
        Random random = new Random(1);
        for (int round = 0; round < 20; round++) {
            Collections.shuffle(ballots, random);
            VoteTable t = new VoteTable();
            ballots.forEach(t::add);
            // equal weight and count: the smaller integer, integers before expressions
            assertEquals(List.of("-3", "7", "100", "x+1"), t.ranking().stream().map(VoteTable.Entry::answer).toList());
        }
    }

    @Test
    void weightsOutvoteCountsAndCountsBreakWeightTies() {
        VoteTable t = new VoteTable();
        t.add("1", 0.2);
        t.add("1", 0.2);
        t.add("1", 0.2);
        t.add("2", 0.9);
        assertEquals(Optional.of("2"), t.winner());
        VoteTable u = new VoteTable();
        u.add("9", 1.0);
        u.add("8", 0.5);
        u.add("8", 0.5);
        assertEquals(Optional.of("8"), u.winner(), "same weight: more ballots win");
    }

    @Test
    void decidedOnlyWhenTheOutstandingBallotsCannotOvertakeTheLeader() {
        VoteTable t = new VoteTable();
        for (int i = 0; i < 5; i++) t.add("12");
        t.add("7");
        // 5 vs 1: three more for "7" make 4 < 5; four more make 5 = 5, a tie: not decided
        assertTrue(t.decided(3, 1.0));
        assertFalse(t.decided(4, 1.0));
        assertTrue(t.decided(7, 0.5), "seven ballots of weight <= 0.5 add at most 3.5");
        VoteTable single = new VoteTable();
        single.add("4");
        assertTrue(single.decided(0, 1.0));
        assertFalse(single.decided(1, 1.0), "a newcomer answer could tie");
        assertTrue(new VoteTable().decided(0, 1.0), "nothing outstanding and no votes: nothing left to wait for");
        assertFalse(new VoteTable().decided(1, 1.0));
    }

    @Test
    void badBallotsAreRefused() {
        VoteTable t = new VoteTable();
        assertThrows(IllegalArgumentException.class, () -> t.add(null));
        assertThrows(IllegalArgumentException.class, () -> t.add("1", -1));
        assertThrows(IllegalArgumentException.class, () -> t.add("1", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> t.decided(-1, 1));
    }
}

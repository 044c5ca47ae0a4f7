package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeviceTest {
    @Test
    void parsesTheCommandLinesForms() {
        assertEquals(Device.CPU, Device.parse("cpu"));
        assertEquals(Device.AUTO, Device.parse(" AUTO "));
        assertEquals(Device.CUDA(0), Device.parse("cuda"));
        assertEquals(Device.CUDA(3), Device.parse("Cuda:3"));
        assertEquals(Device.Kind.CUDA, Device.parse("cuda:12").kind());
        assertEquals(12, Device.parse("cuda:12").index());
    }

    @Test
    void printsWhatItParses() {
        for (Device d : new Device[] {Device.CPU, Device.AUTO, Device.CUDA(0), Device.CUDA(7)}) {
            assertEquals(d, Device.parse(d.toString()));
        }
        assertEquals("cuda:7", Device.CUDA(7).toString());
    }

    @Test
    void devicesAreValues() {
        assertEquals(Device.CUDA(1), Device.CUDA(1));
        assertEquals(Device.CUDA(1).hashCode(), Device.CUDA(1).hashCode());
        assertNotEquals(Device.CUDA(1), Device.CUDA(2));
        assertNotEquals(Device.CPU, Device.AUTO);
    }

    @Test
    void rejectsWhatIsNoDevice() {
        for (String bad : new String[] {"gpu", "cuda:", "cuda:-1", "cuda:x", "cuda:1234567", "", "cpu:0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.parse(bad), bad);
            assertTrue(e.getMessage().contains("cpu, auto, cuda or cuda:N"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Device.CUDA(-1));
    }

    @Test
    void optionsCarryTheDeviceAndDefaultToTheCpu() {
        assertEquals(Device.CPU, EngineOptions.defaults().device());
        EngineOptions o = EngineOptions.defaults().withDevice(Device.CUDA(2)).withThreads(3);
        assertEquals(Device.CUDA(2), o.device(), "later withX keep the device");
        assertThrows(NullPointerException.class, () -> EngineOptions.defaults().withDevice(null));
    }
}

package dev.loopline.dashboard.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** An event as the page gets it, framed once as the bytes every browser receives. */
class LiveTicksEventTest {

    private final LiveTicks live = new LiveTicks();

    {
        live.json = new ObjectMapper();
    }

    @Test
    void thePageGetsTheTickAndTheEventsEnvelopeButNotItsPayload() {
        assertThat(
                        live.forPage(
                                """
                        {"tick": {"tickId": "t-1", "status": "proposed"},
                         "event": {"seq": 7, "type": "loopline.change.proposed", "time": "2026-12-07T10:00:00Z",
                                   "data": {"diff": "--- a/x\\n+++ b/x\\n", "files": ["x"]}}}
                        """))
                .isEqualTo("{\"tick\":{\"tickId\":\"t-1\",\"status\":\"proposed\"},"
                        + "\"event\":{\"seq\":7,\"type\":\"loopline.change.proposed\","
                        + "\"time\":\"2026-12-07T10:00:00Z\"}}");
    }

    @Test
    void dataThatIsNotOneJsonValuePassesUnchanged() {
        assertThat(live.forPage("first line\nsecond line")).isEqualTo("first line\nsecond line");
        assertThat(live.forPage("{\"tick\":{}} and more")).isEqualTo("{\"tick\":{}} and more");
        assertThat(live.forPage("{\"tick\":\n{\"tickId\":\"t-2\"}}"))
                .as("JSON over several lines becomes one line")
                .isEqualTo("{\"tick\":{\"tickId\":\"t-2\"}}");
    }

    @Test
    void aOneLineEventIsItsIdItsTypeAndOneDataLine() {
        assertThat(frame(new LiveTicks.Event(42, "{\"tick\":{}}")))
                .isEqualTo("id: 42\nevent: tick\ndata: {\"tick\":{}}\n\n");
    }

    @Test
    void everyKindOfLineBreakInTheDataStartsADataLineOfItsOwn() {
        assertThat(frame(new LiveTicks.Event(7, "a\r\nb\rc\nd")))
                .isEqualTo("id: 7\nevent: tick\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
        assertThat(frame(new LiveTicks.Event(8, "x\n\ny\n")))
                .as("empty lines and a trailing break survive as empty data lines")
                .isEqualTo("id: 8\nevent: tick\ndata: x\ndata: \ndata: y\ndata: \n\n");
        assertThat(frame(new LiveTicks.Event(9, ""))).isEqualTo("id: 9\nevent: tick\ndata: \n\n");
    }

    @Test
    void textBeyondAsciiIsSentAsUtf8() {
        assertThat(new LiveTicks.Event(1, "“µ”").frame())
                .isEqualTo("id: 1\nevent: tick\ndata: “µ”\n\n".getBytes(StandardCharsets.UTF_8));
    }

    private static String frame(LiveTicks.Event event) {
        return new String(event.frame(), StandardCharsets.UTF_8);
    }
}

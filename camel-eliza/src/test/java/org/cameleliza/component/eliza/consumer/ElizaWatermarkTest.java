package org.cameleliza.component.eliza.consumer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ElizaWatermarkTest {

    @Test
    void keepsTimeAndIdThroughItsStoredForm() {
        ElizaWatermark mark = new ElizaWatermark(1733440000123L, "0b7c6d1e-0000-4000-8000-000000000001");

        assertThat(mark.format()).isEqualTo("1733440000123:0b7c6d1e-0000-4000-8000-000000000001");
        assertThat(ElizaWatermark.parse(mark.format())).isEqualTo(mark);
    }

    @Test
    void aPlaceWithoutMessageHasNoId() {
        ElizaWatermark mark = new ElizaWatermark(42L, null);

        assertThat(ElizaWatermark.parse(mark.format())).isEqualTo(mark);
        assertThat(ElizaWatermark.parse("42")).isEqualTo(mark);
    }

    @Test
    void nothingStoredIsNoWatermarkAndGarbageIsAClearError() {
        assertThat(ElizaWatermark.parse(null)).isNull();
        assertThat(ElizaWatermark.parse(" ")).isNull();
        assertThatThrownBy(() -> ElizaWatermark.parse("yesterday:abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("yesterday:abc");
    }

    @Test
    void onlyALaterTimeIsAfter() {
        ElizaWatermark earlier = new ElizaWatermark(10L, "a");
        ElizaWatermark later = new ElizaWatermark(11L, "b");

        assertThat(later.isAfter(earlier)).isTrue();
        assertThat(earlier.isAfter(later)).isFalse();
        assertThat(earlier.isAfter(new ElizaWatermark(10L, "c"))).isFalse();
        assertThat(earlier.isAfter(null)).isTrue();
    }
}

package dev.familiar.grandpa.core.api;

import dev.familiar.grandpa.store.stats.StatsRepository;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dashboard's history over a range (an hour in 5-minute buckets, a day in hours, a week in 6-hour
 * buckets): delegation success per backend and capability, and grandpa's model per model (speeds, time
 * to first token, cache reuse, session length), so two resident models can be compared.
 */
@RestController
@RequestMapping("/api/stats")
class StatsController {
    /** A range and the bucket its history is shown in. */
    enum Range {
        HOUR(Duration.ofHours(1), Duration.ofMinutes(5)),
        DAY(Duration.ofDays(1), Duration.ofHours(1)),
        WEEK(Duration.ofDays(7), Duration.ofHours(6));

        final Duration length;
        final Duration bucket;

        Range(Duration length, Duration bucket) {
            this.length = length;
            this.bucket = bucket;
        }

        static Range of(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("range is hour, day or week, not '" + name + "'");
            }
        }
    }

    public record History<T>(String range, long bucketSeconds, List<T> buckets) {}

    private final StatsRepository stats;

    public StatsController(StatsRepository stats) {
        this.stats = stats;
    }

    @GetMapping("/delegations")
    public History<StatsRepository.DelegationBucket> delegations(@RequestParam(defaultValue = "day") String range) {
        Range r = Range.of(range);
        return new History<>(r.name().toLowerCase(Locale.ROOT), r.bucket.toSeconds(), stats.delegations(r.length, r.bucket));
    }

    @GetMapping("/model")
    public History<StatsRepository.ModelBucket> model(@RequestParam(defaultValue = "day") String range) {
        Range r = Range.of(range);
        return new History<>(r.name().toLowerCase(Locale.ROOT), r.bucket.toSeconds(), stats.modelCalls(r.length, r.bucket));
    }
}

package dev.familiar.grandpa.core.events;

import dev.familiar.grandpa.core.testing.RandomText;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * An instance of any event record with every field filled from a seed (numbers, text, enums, lists, maps,
 * nested records), so a test covers each record as it is now, new fields included, without listing them.
 */
final class SampleEvents {
    private SampleEvents() {
    }

    static <T> T of(Class<T> record, Random random) {
        RecordComponent[] components = record.getRecordComponents();
        var types = new Class<?>[components.length];
        var values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = value(components[i].getGenericType(), random);
        }
        try {
            return record.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(record + ": " + e, e);
        }
    }

    private static Object value(Type type, Random random) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (raw == List.class) {
                var list = new ArrayList<>();
                for (int i = random.nextInt(3) + 1; i > 0; i--) {
                    list.add(value(args[0], random));
                }
                return list;
            }
            if (raw == Map.class) {
                var map = new LinkedHashMap<>();
                for (int i = random.nextInt(3) + 1; i > 0; i--) {
                    map.put(value(args[0], random), value(args[1], random));
                }
                return map;
            }
            throw new IllegalArgumentException("no sample for " + type);
        }
        Class<?> c = (Class<?>) type;
        if (c == int.class || c == Integer.class) {
            return random.nextInt(100_000);
        }
        if (c == long.class || c == Long.class) {
            return random.nextLong(10_000_000_000L);
        }
        if (c == double.class || c == Double.class) {
            return random.nextInt(1_000_000) / 1000.0;
        }
        if (c == boolean.class || c == Boolean.class) {
            return random.nextBoolean();
        }
        if (c == String.class) {
            return RandomText.chars(random, "abcdefghij klmnop-_./:#é€\n\"\\", random.nextInt(40) + 1);
        }
        if (c.isEnum()) {
            Object[] constants = c.getEnumConstants();
            return constants[random.nextInt(constants.length)];
        }
        if (c.isRecord()) {
            return of(c, random);
        }
        throw new IllegalArgumentException("no sample for " + type + ": teach SampleEvents this type");
    }
}

package dev.isolation.operator.cache;

import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shrinks a deserialized Kubernetes model object in place without changing what it says. At
 * 10,000 namespaces with 3 policies each the cached objects are mostly the same few strings
 * (namespace and policy names, label keys and values, owner references, rule fields) held once
 * per object, and one empty {@code additionalProperties} map per nested model object.
 *
 * <ul>
 *   <li>Strings up to {@link #MAX_INTERNED} characters are interned, except the per-object
 *       {@code uid} and {@code resourceVersion} of ObjectMeta, which never repeat.</li>
 *   <li>An empty {@code additionalProperties} becomes null, exactly as fabric8's builders leave it
 *       (serialisation writes nothing for either).</li>
 * </ul>
 *
 * Nothing else changes: no key or value is added, removed or altered, so equal maps stay equal.
 * A field the walk cannot handle is left as it is.
 */
final class Compactor {

    /** Longer strings (kubectl's last-applied annotation, say) are unique: interning would not pay. */
    static final int MAX_INTERNED = 256;
    private static final int MAX_DEPTH = 32;
    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

    private static final ClassValue<List<Field>> FIELDS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive() && f.trySetAccessible()) {
                        fields.add(f);
                    }
                }
            }
            return List.copyOf(fields);
        }
    };

    private Compactor() {
    }

    static void compact(Object model) {
        walk(model, 0);
    }

    private static void walk(Object obj, int depth) {
        if (obj == null || depth > MAX_DEPTH || !isModel(obj.getClass())) {
            return;
        }
        boolean meta = obj instanceof ObjectMeta;
        for (Field f : FIELDS.get(obj.getClass())) {
            try {
                Object value = f.get(obj);
                if (value instanceof String s) {
                    if (!(meta && (f.getName().equals("uid") || f.getName().equals("resourceVersion")))) {
                        f.set(obj, intern(s));
                    }
                } else if (value instanceof Map<?, ?> map) {
                    if (map.isEmpty() && f.getName().equals("additionalProperties")) {
                        f.set(obj, null);
                    } else {
                        f.set(obj, compactMap(map, depth));
                    }
                } else if (value instanceof List<?> list) {
                    compactList(list, depth);
                } else if (value != null) {
                    walk(value, depth + 1);
                }
            } catch (IllegalAccessException | RuntimeException e) {
                // Left as it is: compacting is an optimisation, never a reason to lose or break data.
            }
        }
    }

    /** A new map with the same entries in the same order, strings interned; others walked in place. */
    private static Map<?, ?> compactMap(Map<?, ?> map, int depth) {
        Map<Object, Object> out = new LinkedHashMap<>(Math.max(2, (int) (map.size() / 0.75f) + 1));
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object key = e.getKey() instanceof String s ? intern(s) : e.getKey();
            Object value = e.getValue();
            if (value instanceof String s) {
                value = intern(s);
            } else {
                walk(value, depth + 1);
            }
            out.put(key, value);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void compactList(List<?> list, int depth) {
        List<Object> items = (List<Object>) list;
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            if (item instanceof String s) {
                items.set(i, intern(s));
            } else {
                walk(item, depth + 1);
            }
        }
    }

    private static String intern(String s) {
        return s.length() <= MAX_INTERNED ? s.intern() : s;
    }

    private static boolean isModel(Class<?> type) {
        // fabric8's generated POJOs (IntOrString is one without being a KubernetesResource).
        return type.getName().startsWith(MODEL_PACKAGE + ".");
    }
}

package org.hyperrep.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.io.File;
import java.util.List;
import java.util.Map;

/**
 * Loads a HOCON config file, applies {@code --set key=value} overrides and falls back to
 * {@code hyperrep-defaults.conf}. Every key the user gives must exist in the defaults: a typo is refused with the
 * key's name and the file it came from instead of being silently ignored.
 */
public final class ConfigFiles {
    /** Subtrees whose keys are free-form (Spark properties). */
    private static final List<String> FREE_FORM = List.of("spark.conf", "sweep.axes");
    /** Keys whose list default may be replaced by a range object {min, max, log} or, for seeds, {from, to}. */
    private static final String FACTORS = "zoo.factors.";

    private ConfigFiles() {}

    public static Config defaults() {
        return ConfigFactory.parseResources(ConfigFiles.class.getClassLoader(), "hyperrep-defaults.conf",
                ConfigParseOptions.defaults().setAllowMissing(false));
    }

    /**
     * @param file      the config file (HOCON); null for defaults plus overrides only
     * @param overrides {@code key=value} strings, value in HOCON syntax
     */
    public static Config load(File file, List<String> overrides) {
        Config user = ConfigFactory.empty();
        String source = "(no file)";
        if (file != null) {
            source = file.getPath();
            if (!file.isFile()) throw new BadInputException("config file " + file + " does not exist");
            try {
                user = ConfigFactory.parseFile(file.getAbsoluteFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new BadInputException("config file " + file + " cannot be parsed: " + e.getMessage(), e);
            }
            checkKnownKeys(user, source);
        }
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) throw new BadInputException("--set " + o + ": expected key=value");
            Config one;
            try {
                one = ConfigFactory.parseString(o.substring(0, eq).trim() + " = " + o.substring(eq + 1),
                        ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF));
            } catch (ConfigException e) {
                throw new BadInputException("--set " + o + " cannot be parsed: " + e.getMessage(), e);
            }
            checkKnownKeys(one, "--set " + o);
            user = one.withFallback(user);
        }
        return user.withFallback(defaults()).resolve();
    }

    /** The config as HOCON text with every default filled in, for provenance records. */
    public static String render(Config config) {
        return config.root().render(ConfigRenderOptions.concise().setFormatted(true).setJson(true));
    }

    private static void checkKnownKeys(Config user, String source) {
        Config defaults = defaults();
        for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
            String key = e.getKey();
            if (FREE_FORM.stream().anyMatch(f -> key.startsWith(f + "."))) continue;
            if (defaults.hasPathOrNull(key)) continue;
            if (isFactorRangeKey(defaults, key)) continue;
            throw new BadInputException("unknown config key '" + key + "' in " + source);
        }
    }

    private static boolean isFactorRangeKey(Config defaults, String key) {
        if (!key.startsWith(FACTORS)) return false;
        int dot = key.lastIndexOf('.');
        String parent = key.substring(0, dot);
        String leaf = key.substring(dot + 1);
        return defaults.hasPath(parent) && defaults.getValue(parent).valueType() == ConfigValueType.LIST
                && List.of("min", "max", "log", "from", "to").contains(leaf);
    }
}

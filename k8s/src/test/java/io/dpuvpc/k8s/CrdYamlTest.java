package io.dpuvpc.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRD YAML kept under {@code k8s/crds/} is what fabric8's generator makes of the model classes
 * now, so that the two never drift. After changing a model class, regenerate with {@code mvn -pl
 * k8s -am verify -Dtest=CrdYamlTest -Dsurefire.failIfNoSpecifiedTests=false -Dcrds.write=true}
 * and commit the YAML.
 */
class CrdYamlTest {
    static final Path COMMITTED = Path.of("crds");

    @Test
    void committedCrdsAreWhatTheGeneratorMakesOfTheModel(@TempDir Path generated) throws IOException {
        generate(generated);
        if (Boolean.getBoolean("crds.write")) {
            Files.createDirectories(COMMITTED);
            for (Path file : yamlFiles(generated)) {
                Files.copy(file, COMMITTED.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        List<Path> files = yamlFiles(generated);
        assertThat(files).hasSize(ResourceTypes.SERVED.size());
        assertThat(yamlFiles(COMMITTED).stream().map(Path::getFileName))
                .containsExactlyInAnyOrderElementsOf(files.stream().map(Path::getFileName).toList());
        for (Path file : files) {
            assertThat(Files.readString(COMMITTED.resolve(file.getFileName())))
                    .as("crds/%s differs from the generator's output: regenerate it (see this test's Javadoc)",
                            file.getFileName())
                    .isEqualTo(Files.readString(file));
        }
    }

    static void generate(Path dir) {
        List<Class<? extends HasMetadata>> classes = ResourceTypes.SERVED.stream()
                .<Class<? extends HasMetadata>>map(ResourceTypes::of).toList();
        new CRDGenerator()
                .customResourceClasses(classes)
                .forCRDVersions("v1")
                .withParallelGenerationEnabled(false)
                .withPostProcessor(new CRDPostProcessor() {
                    @Override
                    public HasMetadata process(HasMetadata crd, String crdVersion) {
                        return columnsInDeclaredOrder(crd);
                    }
                })
                .inOutputDir(dir.toFile())
                .generate();
    }

    /**
     * The generator sorts printer columns by name; kubectl shows them in the CRD's order, and READY
     * first, AGE last reads best: keep the order in which the class declares them.
     */
    private static HasMetadata columnsInDeclaredOrder(HasMetadata crd) {
        var definition = (CustomResourceDefinition) crd;
        Class<?> type = ResourceTypes.SERVED.stream().map(ResourceTypes::of)
                .filter(c -> HasMetadata.getKind(c).equals(definition.getSpec().getNames().getKind()))
                .findFirst().orElseThrow();
        List<String> declared = Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
                .map(AdditionalPrinterColumn::name).toList();
        for (var version : definition.getSpec().getVersions()) {
            version.getAdditionalPrinterColumns()
                    .sort(Comparator.comparingInt(column -> declared.indexOf(column.getName())));
        }
        return crd;
    }

    private static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
                    .sorted().toList();
        }
    }
}

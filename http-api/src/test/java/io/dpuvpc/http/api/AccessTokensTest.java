package io.dpuvpc.http.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token file's format, and which access a presented token grants. */
class AccessTokensTest {

    static final String RW = "rw-token-0123456789abcdef";
    static final String RW2 = "second-rw-0123456789abcdef";
    static final String RO = "ro-token-0123456789abcdef";

    @Test
    void commentsAndBlankLinesAreSkippedAndEachTokenHasItsAccess() {
        AccessTokens tokens = AccessTokens.parse("""
                # admin API tokens

                %s
                   %s read-only   \r
                \t
                # %s would be a token if not commented
                %s read-write
                """.formatted(RW, RO, "commented-0123456789abcdef", RW2), "tokens");
        assertThat(tokens.required()).isTrue();
        assertThat(tokens.accessOf(RW)).contains(AccessTokens.Access.READ_WRITE);
        assertThat(tokens.accessOf(RO)).contains(AccessTokens.Access.READ_ONLY);
        assertThat(tokens.accessOf(RW2)).contains(AccessTokens.Access.READ_WRITE);
        assertThat(tokens.accessOf("commented-0123456789abcdef")).isEmpty();
        assertThat(tokens.accessOf("# admin API tokens")).isEmpty();
    }

    @Test
    void onlyTheExactTokenGrantsAccess() {
        AccessTokens tokens = AccessTokens.parse(RW + "\n" + RO + " read-only\n", "tokens");
        assertThat(tokens.accessOf(null)).isEmpty();
        assertThat(tokens.accessOf("")).isEmpty();
        assertThat(tokens.accessOf(RW.substring(0, RW.length() - 1))).isEmpty();
        assertThat(tokens.accessOf(RW + "f")).isEmpty();
        assertThat(tokens.accessOf(RW.toUpperCase())).isEmpty();
        assertThat(tokens.accessOf(" " + RW)).isEmpty();
        assertThat(tokens.accessOf(RO + " read-only")).isEmpty();
        assertThat(tokens.accessOf(RW)).contains(AccessTokens.Access.READ_WRITE);
        assertThat(tokens.accessOf(RO)).contains(AccessTokens.Access.READ_ONLY);
    }

    @Test
    void aTokenListedTwiceKeepsItsFirstAccess() {
        AccessTokens tokens = AccessTokens.parse(RO + " read-only\n" + RW + "\n" + RO + "\n", "tokens");
        assertThat(tokens.accessOf(RO)).contains(AccessTokens.Access.READ_ONLY);
        assertThat(tokens.accessOf(RW)).contains(AccessTokens.Access.READ_WRITE);
    }

    @Test
    void noneRequiresNothingAndKnowsNoToken() {
        AccessTokens none = AccessTokens.none();
        assertThat(none.required()).isFalse();
        assertThat(none.accessOf(RW)).isEmpty();
        assertThat(none.accessOf(null)).isEmpty();
    }

    @Test
    void aShortTokenIsRefusedWithItsLineButNotItsText() {
        String shortToken = "short-secret-15";
        assertThat(shortToken).hasSize(15);
        assertThatThrownBy(() -> AccessTokens.parse("# tokens\n" + RW + "\n" + shortToken + " read-only\n", "/etc/tokens"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/etc/tokens line 3")
                .hasMessageContaining("at least 16 characters")
                .hasMessageNotContaining(shortToken)
                .hasMessageNotContaining(RW);
        // Sixteen characters are enough.
        assertThat(AccessTokens.parse("sixteen-chars-16\n", "t").accessOf("sixteen-chars-16"))
                .contains(AccessTokens.Access.READ_WRITE);
    }

    @Test
    void aLineThatIsNotATokenAndAnAccessIsRefusedWithoutEchoingIt() {
        for (String line : new String[] {RW + " read-mostly", RW + " read-only extra", RW + " READ-ONLY",
                "two words-0123456789abcdef"}) {
            var refused = assertThatThrownBy(() -> AccessTokens.parse("# tokens\n\n" + line + "\n", "tokens"))
                    .as(line)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("tokens line 3: expected a token, optionally followed by read-only or read-write");
            for (String secret : line.split(" ")) {
                if (secret.contains("0123456789")) {
                    refused.hasMessageNotContaining(secret);
                }
            }
        }
    }

    @Test
    void aFileWithoutTokensIsRefused() {
        for (String text : new String[] {"", "\n\n", "# only a comment\n  \n"}) {
            assertThatThrownBy(() -> AccessTokens.parse(text, "tokens"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("tokens holds no token: add one per line");
        }
    }

    @Test
    void aTokenFileIsReadAsUtf8AndNamedInErrors(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), "# tokens\n" + RO + " read-only\n");
        assertThat(AccessTokens.read(file).accessOf(RO)).isEqualTo(Optional.of(AccessTokens.Access.READ_ONLY));
        Path bad = Files.writeString(dir.resolve("bad"), "tooshort\n");
        assertThatThrownBy(() -> AccessTokens.read(bad)).hasMessageStartingWith(bad + " line 1:")
                .hasMessageNotContaining("tooshort");
    }
}

package dev.stacksim.packetdrill;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ScriptLexerTest {
    /** The tokens of {@code src} as {@code TYPE:text}, without the final EOF. */
    private static List<String> lex(String src) {
        List<Token> t = ScriptLexer.tokenize("t.pkt", src);
        return t.subList(0, t.size() - 1).stream().map(x -> x.type() + ":" + x.text()).collect(Collectors.toList());
    }

    @Test
    void blockingTimeIsFloatEllipsisFloat() {
        assertEquals(List.of("FLOAT:0.1", "ELLIPSIS:...", "FLOAT:0.2"), lex("0.1...0.2"));
        assertEquals(List.of("CHAR:+", "INTEGER:0", "ELLIPSIS:...", "FLOAT:0.200"), lex("+0...0.200"));
    }

    @Test
    void relativeTimesSplitThePlus() {
        assertEquals(List.of("CHAR:+", "FLOAT:.1"), lex("+.1"));
        assertEquals(List.of("CHAR:+", "INTEGER:0", "CHAR:~", "CHAR:+", "FLOAT:.04"), lex("+0~+.04"));
    }

    @Test
    void sequenceRangeIsIntegersAndPunctuation() {
        assertEquals(List.of("INTEGER:1", "CHAR::", "INTEGER:1001", "CHAR:(", "INTEGER:1000", "CHAR:)"),
                lex("1:1001(1000)"));
    }

    @Test
    void longestMatchPicksAddressesHexAndWords() {
        assertEquals(List.of("IPV4_ADDR:192.0.2.1"), lex("192.0.2.1"));
        assertEquals(List.of("HEX_INTEGER:0x802"), lex("0x802"));
        assertEquals(List.of("WORD:2MSL"), lex("2MSL"));
        assertEquals(List.of("INTEGER:-1", "WORD:EPIPE"), lex("-1 EPIPE"));
    }

    @Test
    void flagsAreAWordAndADot() {
        assertEquals(List.of("WORD:S", "CHAR:.", "INTEGER:0"), lex("S. 0"));
        assertEquals(List.of("CHAR:.", "INTEGER:1"), lex(". 1"));
        assertEquals(List.of("WORD:S", "FLOAT:.2"), lex("S.2"));
    }

    @Test
    void optionsStringsCommandsAndCode() {
        assertEquals(List.of("OPTION:tolerance_usecs", "CHAR:=", "INTEGER:10000"), lex("--tolerance_usecs=10000"));
        assertEquals(List.of("STRING:a\"b"), lex("\"a\\\"b\""));
        assertEquals(List.of("BACK_QUOTED:sysctl -q a=1"), lex("`sysctl -q a=1`"));
        assertEquals(List.of("CODE:print(1)"), lex("%{  print(1)  }%"));
    }

    @Test
    void commentsAndNewlinesAreBlanksButLinesAreCounted() {
        List<Token> t = ScriptLexer.tokenize("t.pkt", "// one\n/* two\nthree */ x\n  y // z\n");
        assertEquals("x", t.get(0).text());
        assertEquals(3, t.get(0).line());
        assertEquals(10, t.get(0).column());
        assertEquals(4, t.get(1).line());
        assertEquals(3, t.get(1).column());
        assertEquals(Token.Type.EOF, t.get(2).type());
    }

    @Test
    void unterminatedThingsNameTheirPosition() {
        ScriptParseException e = assertThrows(ScriptParseException.class, () -> lex("0 write(3, \"abc"));
        assertEquals("t.pkt:1:12: syntax error: unterminated string", e.getMessage());
        assertEquals(12, e.column());
        assertEquals("t.pkt:2:1: syntax error: unterminated backquoted command",
                assertThrows(ScriptParseException.class, () -> lex("\n`sysctl")).getMessage());
        assertEquals("t.pkt:1:3: syntax error: unterminated /* comment",
                assertThrows(ScriptParseException.class, () -> lex("x /* y")).getMessage());
    }
}

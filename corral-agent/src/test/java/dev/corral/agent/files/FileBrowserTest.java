package dev.corral.agent.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBrowserTest {
  @TempDir
  Path sandbox;

  @Test
  void readsFromAnOffsetAndMinusOneAnswersTheSize() throws Exception {
    Path f = Files.writeString(sandbox.resolve("stdout"), "0123456789");
    assertThat(FileBrowser.read(f, 0, -1)).isEqualTo(new FileBrowser.Chunk("0123456789", 0));
    assertThat(FileBrowser.read(f, 3, 4)).isEqualTo(new FileBrowser.Chunk("3456", 3));
    assertThat(FileBrowser.read(f, 8, 100)).isEqualTo(new FileBrowser.Chunk("89", 8));
    assertThat(FileBrowser.read(f, 50, 10)).isEqualTo(new FileBrowser.Chunk("", 50));
    assertThat(FileBrowser.read(f, -1, 10)).isEqualTo(new FileBrowser.Chunk("", 10));
  }

  @Test
  void listsADirectoryLikeMesosBrowse() throws Exception {
    Files.writeString(sandbox.resolve("stdout"), "abc");
    Files.createDirectories(sandbox.resolve("conf"));
    Files.writeString(sandbox.resolve("conf/app.yaml"), "x: 1\n");
    List<FileEntry> top = FileBrowser.browse(sandbox, sandbox);
    assertThat(top).extracting(FileEntry::path).containsExactly("conf", "stdout");
    assertThat(top.get(0).isDir()).isTrue();
    assertThat(top.get(0).mode()).startsWith("d");
    assertThat(top.get(1).size()).isEqualTo(3);
    assertThat(top.get(1).mode()).startsWith("-");
    assertThat(top.get(1).mtime()).isGreaterThan(1_600_000_000L);
    assertThat(FileBrowser.browse(sandbox, sandbox.resolve("conf"))).extracting(FileEntry::path)
        .containsExactly("conf/app.yaml");
  }

  @Test
  void lastLinesStartWhereTheyShould() throws Exception {
    Path f = Files.writeString(sandbox.resolve("log"), "one\ntwo\nthree\n");
    assertThat(LogTail.startOfLastLines(f, 1)).isEqualTo(8);
    assertThat(LogTail.startOfLastLines(f, 2)).isEqualTo(4);
    assertThat(LogTail.startOfLastLines(f, 10)).isEqualTo(0);
    assertThat(LogTail.startOfLastLines(f, 0)).isEqualTo(14);
    Path partial = Files.writeString(sandbox.resolve("p"), "one\ntwo");
    assertThat(LogTail.startOfLastLines(partial, 1)).isEqualTo(4);
    assertThat(LogTail.startOfLastLines(sandbox.resolve("missing"), 5)).isZero();
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      big.append("line ").append(i).append('\n');
    }
    Path large = Files.writeString(sandbox.resolve("large"), big);
    long start = LogTail.startOfLastLines(large, 3);
    assertThat(Files.readString(large).substring((int) start)).isEqualTo("line 4997\nline 4998\nline 4999\n");
  }
}

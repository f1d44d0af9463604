package io.chorus.trie;

import io.chorus.trie.MerklePatriciaTrie.Entry;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Walks a trie in key order. Nibble order is unsigned byte order, and a key sorts before every
 * key it is a prefix of, so a branch's own value comes before its children.
 */
final class OrderedWalk {
  private final NodeLoader loader;

  OrderedWalk(NodeLoader loader) {
    this.loader = loader;
  }

  /** The first entry below {@code node} whose key is greater than {@code target}. */
  Entry after(Node node, byte[] target) {
    return after(node, target, 0);
  }

  /** The last entry below {@code node} whose key is smaller than {@code target}. */
  Entry before(Node node, byte[] target) {
    return before(node, target, 0);
  }

  Iterator<Entry> iterator(Node root) {
    return new EntryIterator(root);
  }

  /** Recursion follows the target's path only, so its depth is bounded by the key length. */
  private Entry after(Node node, byte[] target, int depth) {
    return switch (node) {
      case null -> null;
      case Node.Leaf l -> compare(l.path(), target, depth) > 0
          ? entry(Nibbles.concat(prefix(target, depth), l.path()), l.value()) : null;
      case Node.Extension e -> {
        if (Nibbles.startsWith(target, depth, e.path())) {
          yield after(e.child(), target, depth + e.path().length);
        }
        yield compare(e.path(), target, depth) > 0
            ? first(e.child(), Nibbles.concat(prefix(target, depth), e.path())) : null;
      }
      case Node.Branch b -> {
        if (depth == target.length) {
          yield firstChild(b, 0, prefix(target, depth));
        }
        int nibble = target[depth];
        Entry found = after(b.children()[nibble], target, depth + 1);
        yield found != null ? found : firstChild(b, nibble + 1, prefix(target, depth));
      }
      case Node.Unresolved u -> after(loader.load(u.hash(), depth, false), target, depth);
    };
  }

  private Entry before(Node node, byte[] target, int depth) {
    return switch (node) {
      case null -> null;
      case Node.Leaf l -> compare(l.path(), target, depth) < 0
          ? entry(Nibbles.concat(prefix(target, depth), l.path()), l.value()) : null;
      case Node.Extension e -> {
        if (Nibbles.startsWith(target, depth, e.path())) {
          yield before(e.child(), target, depth + e.path().length);
        }
        yield compare(e.path(), target, depth) < 0
            ? last(e.child(), Nibbles.concat(prefix(target, depth), e.path())) : null;
      }
      case Node.Branch b -> {
        if (depth == target.length) {
          yield null;
        }
        int nibble = target[depth];
        Entry found = before(b.children()[nibble], target, depth + 1);
        for (int i = nibble - 1; found == null && i >= 0; i--) {
          Node child = b.children()[i];
          found = child == null ? null : last(child, Nibbles.append(prefix(target, depth), i));
        }
        if (found == null && b.value().length > 0) {
          found = entry(prefix(target, depth), b.value());
        }
        yield found;
      }
      case Node.Unresolved u -> before(loader.load(u.hash(), depth, false), target, depth);
    };
  }

  /**
   * Compares {@code path} with the target's rest from {@code depth}, as keys sharing the first
   * {@code depth} nibbles: a proper prefix sorts first. When {@code path} is not a prefix of the
   * rest, every key that continues with it compares the same way.
   */
  private static int compare(byte[] path, byte[] target, int depth) {
    int common = Nibbles.common(path, target, depth);
    if (common == path.length) {
      // Equal, or a proper prefix: a shorter key sorts first.
      return common == target.length - depth ? 0 : -1;
    }
    if (depth + common == target.length) {
      return 1;
    }
    return Integer.compare(path[common], target[depth + common]);
  }

  private Entry firstChild(Node.Branch branch, int from, byte[] prefix) {
    for (int i = from; i < 16; i++) {
      Node child = branch.children()[i];
      Entry found = child == null ? null : first(child, Nibbles.append(prefix, i));
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** The smallest entry below {@code node}, whose path from the root is {@code prefix}. */
  private Entry first(Node node, byte[] prefix) {
    while (node != null) {
      switch (node) {
        case Node.Leaf l -> {
          return entry(Nibbles.concat(prefix, l.path()), l.value());
        }
        case Node.Extension e -> {
          prefix = Nibbles.concat(prefix, e.path());
          node = e.child();
        }
        case Node.Branch b -> {
          if (b.value().length > 0) {
            return entry(prefix, b.value());
          }
          int i = 0;
          while (i < 16 && b.children()[i] == null) {
            i++;
          }
          if (i == 16) {
            return null;
          }
          node = b.children()[i];
          prefix = Nibbles.append(prefix, i);
        }
        case Node.Unresolved u -> node = loader.load(u.hash(), prefix.length, false);
      }
    }
    return null;
  }

  /** The largest entry below {@code node}, whose path from the root is {@code prefix}. */
  private Entry last(Node node, byte[] prefix) {
    while (node != null) {
      switch (node) {
        case Node.Leaf l -> {
          return entry(Nibbles.concat(prefix, l.path()), l.value());
        }
        case Node.Extension e -> {
          prefix = Nibbles.concat(prefix, e.path());
          node = e.child();
        }
        case Node.Branch b -> {
          int i = 15;
          while (i >= 0 && b.children()[i] == null) {
            i--;
          }
          if (i < 0) {
            return b.value().length > 0 ? entry(prefix, b.value()) : null;
          }
          node = b.children()[i];
          prefix = Nibbles.append(prefix, i);
        }
        case Node.Unresolved u -> node = loader.load(u.hash(), prefix.length, false);
      }
    }
    return null;
  }

  private static byte[] prefix(byte[] target, int depth) {
    return Arrays.copyOf(target, depth);
  }

  /** Loaded nodes are checked to hold values only at whole-byte depths, so the path packs. */
  private static Entry entry(byte[] path, byte[] value) {
    return new Entry(Nibbles.toBytes(path), value.clone());
  }

  /** Depth-first, children in nibble order, with an explicit stack instead of recursion. */
  private final class EntryIterator implements Iterator<Entry> {
    private record Frame(Node node, byte[] prefix) {}

    private final Deque<Frame> stack = new ArrayDeque<>();
    private Entry next;

    EntryIterator(Node root) {
      if (root != null) {
        stack.push(new Frame(root, Nibbles.EMPTY));
      }
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        next = advance();
      }
      return next != null;
    }

    @Override
    public Entry next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Entry entry = next;
      next = null;
      return entry;
    }

    private Entry advance() {
      while (!stack.isEmpty()) {
        Frame frame = stack.pop();
        byte[] prefix = frame.prefix();
        switch (frame.node()) {
          case Node.Leaf l -> {
            return entry(Nibbles.concat(prefix, l.path()), l.value());
          }
          case Node.Extension e ->
              stack.push(new Frame(e.child(), Nibbles.concat(prefix, e.path())));
          case Node.Branch b -> {
            for (int i = 15; i >= 0; i--) {
              if (b.children()[i] != null) {
                stack.push(new Frame(b.children()[i], Nibbles.append(prefix, i)));
              }
            }
            if (b.value().length > 0) {
              return entry(prefix, b.value());
            }
          }
          case Node.Unresolved u ->
              stack.push(new Frame(loader.load(u.hash(), prefix.length, false), prefix));
        }
      }
      return null;
    }
  }
}

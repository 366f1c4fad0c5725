//! Output of a sandboxed command, read continuously and kept within a fixed
//! budget: the first `head` bytes and the last `tail` bytes, with a count of
//! what fell in between. A command printing a gigabyte costs the reader time,
//! never memory.

use std::collections::VecDeque;
use std::io::Read;

/// Bytes of a stream kept: head and tail, and how many were seen in all.
#[derive(Debug, Default)]
pub struct Capped {
    head: Vec<u8>,
    head_cap: usize,
    tail: VecDeque<u8>,
    tail_cap: usize,
    total: u64,
}

impl Capped {
    pub fn new(head_cap: usize, tail_cap: usize) -> Capped {
        Capped {
            head: Vec::new(),
            head_cap,
            tail: VecDeque::new(),
            tail_cap,
            total: 0,
        }
    }

    pub fn push(&mut self, mut bytes: &[u8]) {
        self.total += bytes.len() as u64;
        if self.head.len() < self.head_cap {
            let take = (self.head_cap - self.head.len()).min(bytes.len());
            self.head.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
        }
        if self.tail_cap == 0 || bytes.is_empty() {
            return;
        }
        // Slices, not single bytes: memcpy even in debug builds.
        if bytes.len() >= self.tail_cap {
            self.tail.clear();
            self.tail.extend(&bytes[bytes.len() - self.tail_cap..]);
            return;
        }
        let overflow = (self.tail.len() + bytes.len()).saturating_sub(self.tail_cap);
        self.tail.drain(..overflow);
        self.tail.extend(bytes);
    }

    /// Everything seen, in bytes.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Bytes seen but kept neither in the head nor in the tail.
    pub fn dropped(&self) -> u64 {
        self.total - self.head.len() as u64 - self.tail.len() as u64
    }

    /// The kept bytes as text (for parsers): the head, and the tail after a
    /// marker line when something was dropped between them.
    pub fn text(&self) -> String {
        self.excerpt(usize::MAX, usize::MAX).0
    }

    /// At most `head` bytes from the start and `tail` from the end of what
    /// was kept, with a line saying how much was cut. Returns the text and
    /// the number of bytes cut in all.
    pub fn excerpt(&self, head: usize, tail: usize) -> (String, u64) {
        let tail_bytes: Vec<u8> = self.tail.iter().copied().collect();
        let mut all_kept: Vec<u8> = Vec::new();
        let cut_between = self.dropped();
        // Join head and tail when nothing was dropped between them.
        let (first, last): (&[u8], &[u8]) = if cut_between == 0 {
            all_kept.extend_from_slice(&self.head);
            all_kept.extend_from_slice(&tail_bytes);
            (&all_kept, &[])
        } else {
            (&self.head, &tail_bytes)
        };
        let mut cut = cut_between;
        let mut out = String::new();
        if last.is_empty() {
            if first.len() <= head.saturating_add(tail) {
                out.push_str(&String::from_utf8_lossy(first));
            } else {
                let gap = first.len() - head - tail;
                cut += gap as u64;
                out.push_str(&String::from_utf8_lossy(&first[..head]));
                out.push_str(&marker(cut));
                out.push_str(&String::from_utf8_lossy(&first[first.len() - tail..]));
            }
        } else {
            let h = &first[..first.len().min(head)];
            let t = &last[last.len() - last.len().min(tail)..];
            cut += (first.len() - h.len()) as u64 + (last.len() - t.len()) as u64;
            out.push_str(&String::from_utf8_lossy(h));
            out.push_str(&marker(cut));
            out.push_str(&String::from_utf8_lossy(t));
        }
        (out, cut)
    }
}

fn marker(cut: u64) -> String {
    format!("\n… [{cut} bytes of output cut here by backlens] …\n")
}

/// Reads `reader` to its end into a [`Capped`] buffer.
pub fn drain(mut reader: impl Read, mut into: Capped) -> Capped {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return into,
            Ok(n) => into.push(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return into,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_output_is_kept_whole() {
        let mut c = Capped::new(10, 10);
        c.push(b"hello ");
        c.push(b"world");
        assert_eq!(c.text(), "hello world");
        assert_eq!(c.excerpt(100, 100), ("hello world".to_string(), 0));
        assert_eq!(c.dropped(), 0);
    }

    #[test]
    fn large_output_keeps_head_and_tail_and_says_what_was_cut() {
        let mut c = Capped::new(4, 4);
        for _ in 0..1000 {
            c.push(b"0123456789");
        }
        assert_eq!(c.total(), 10_000);
        assert_eq!(c.dropped(), 10_000 - 8);
        let (text, cut) = c.excerpt(4, 4);
        assert!(text.starts_with("0123"));
        assert!(text.ends_with("6789"));
        assert!(text.contains("9992 bytes of output cut"), "{text}");
        assert_eq!(cut, 9992);
    }

    #[test]
    fn excerpt_trims_kept_bytes_further() {
        let mut c = Capped::new(100, 100);
        c.push(&[b'a'; 50]);
        c.push(&[b'b'; 50]);
        let (text, cut) = c.excerpt(10, 10);
        assert_eq!(cut, 80);
        assert!(text.starts_with("aaaaaaaaaa\n"));
        assert!(text.ends_with("\nbbbbbbbbbb"));
    }

    #[test]
    fn a_write_larger_than_the_tail_keeps_its_end() {
        let mut c = Capped::new(2, 3);
        c.push(b"abcdefgh");
        assert_eq!(
            c.excerpt(10, 10).0.trim_end(),
            "ab\n… [3 bytes of output cut here by backlens] …\nfgh"
        );
    }
}

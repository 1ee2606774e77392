//! Rendering the pages: each into a buffer that keeps its capacity between pages.

/// Pages above this size grow their buffer by an eighth instead of doubling it, and the
/// buffer is freed after them: a 100 MB story must not cost 300 MB to render.
pub(super) const LARGE_PAGE: usize = 8 << 20;

/// The page buffer as Tera writes into it: `Vec`'s doubling, except for large pages, which
/// get exactly what they need plus an eighth (for the rest of the template after the body).
pub(super) struct PageBuf<'a>(pub(super) &'a mut Vec<u8>);

impl std::io::Write for PageBuf<'_> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.write_all(bytes)?;
        Ok(bytes.len())
    }

    #[inline]
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let v = &mut *self.0;
        if v.capacity() - v.len() < bytes.len() {
            let need = v.len() + bytes.len();
            let cap = if need < LARGE_PAGE {
                need.max(v.capacity() * 2)
            } else {
                need + need / 8
            };
            v.reserve_exact(cap - v.len());
        }
        v.extend_from_slice(bytes);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

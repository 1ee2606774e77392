//! Generated photos for tests and benchmarks: rally's tests need pictures with EXIF
//! orientation and GPS data, and its benchmark photos of a phone's size and weight.

/// A JPEG of `w`×`h` with an EXIF block: orientation `orientation` and a GPS position (the
/// latitude reference "N"), as a phone writes them.
pub fn photo_with_gps(w: u32, h: u32, orientation: u16) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([
            (x * 7 % 256) as u8,
            (y * 3 % 256) as u8,
            ((x + y) % 256) as u8,
        ])
    });
    with_gps(&jpeg(&img, 90), orientation)
}

/// A photo-like JPEG of `w`×`h` (smooth gradients under fine grain, which compresses as a
/// real photo does: a 4000×3000 one at quality 92 weighs a few megabytes), different for
/// each `seed`, with EXIF and GPS data.
pub fn noisy_photo(w: u32, h: u32, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9) | 1;
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let grain = (state % 48) as i32 - 24;
        let base = |scale: u32, off: u32| -> i32 {
            (((x * scale / w.max(1) + y * off / h.max(1) + seed) % 256) as i32).min(255)
        };
        let c = |v: i32| (v + grain).clamp(0, 255) as u8;
        image::Rgb([c(base(200, 50)), c(base(90, 160)), c(base(40, 220))])
    });
    with_gps(&jpeg(&img, 92), 1)
}

fn jpeg(img: &image::RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality).encode_image(img);
    out
}

/// `jpeg` with an APP1 EXIF segment after its start marker.
fn with_gps(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    // TIFF, little-endian: IFD0 with Orientation (0x0112) and a GPS IFD pointer (0x8825);
    // the GPS IFD with GPSLatitudeRef "N".
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    tiff.extend(2u16.to_le_bytes());
    tiff.extend([0x12, 0x01, 3, 0]);
    tiff.extend(1u32.to_le_bytes());
    tiff.extend(u32::from(orientation).to_le_bytes());
    tiff.extend([0x25, 0x88, 4, 0]);
    tiff.extend(1u32.to_le_bytes());
    tiff.extend(38u32.to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(1u16.to_le_bytes());
    tiff.extend([1, 0, 2, 0]);
    tiff.extend(2u32.to_le_bytes());
    tiff.extend(*b"N\0\0\0");
    tiff.extend(0u32.to_le_bytes());
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(&tiff);
    let mut out = jpeg[..2.min(jpeg.len())].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((app1.len() + 2) as u16).to_be_bytes());
    out.extend(app1);
    out.extend(jpeg.get(2..).unwrap_or_default());
    out
}

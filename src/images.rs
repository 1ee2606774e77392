//! Photos for phones: a raster picture decoded (turned upright as its EXIF orientation says),
//! resized to the widths a page offers (never enlarged), and encoded again as lossy WebP and
//! in its own format as the fallback. Encoding writes no metadata, so a photo's GPS position
//! and camera details never reach the site. Results are cached on disk by a hash of the
//! picture, the settings and [`CODE_VERSION`], so a second build encodes nothing.
//!
//! Not wired into the pipeline yet: see the issue on images (this is its first step).

use std::io::Cursor;
use std::path::{Path, PathBuf};

use fast_image_resize::images::Image;
use fast_image_resize::{IntoImageView, Resizer};
use image::{DynamicImage, ImageDecoder, ImageReader};

/// Changes whenever this module writes different bytes for the same input: cached variants
/// of another version are never used (Zola #2066 kept stale images after upgrades).
pub const CODE_VERSION: u32 = 1;

/// How pictures are processed (from `site.yaml`).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The widths offered, in pixels, smallest first.
    pub widths: Vec<u32>,
    /// WebP quality, 0–100.
    pub webp_quality: f32,
    /// JPEG quality of the fallback, 1–100.
    pub jpeg_quality: u8,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            widths: vec![480, 960, 1600],
            webp_quality: 75.0,
            jpeg_quality: 80,
        }
    }
}

/// The encodings a variant is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Webp,
    Jpeg,
    Png,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Webp => "webp",
            Format::Jpeg => "jpg",
            Format::Png => "png",
        }
    }
}

/// One resized, re-encoded copy of a picture.
#[derive(Debug, Clone)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    pub bytes: Vec<u8>,
}

/// A picture's size once upright, and its variants: for each width, WebP then the fallback.
#[derive(Debug, Clone)]
pub struct Processed {
    pub width: u32,
    pub height: u32,
    pub variants: Vec<Variant>,
}

/// Why a picture could not be processed, in words for the writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub String);

/// The widths to make for a picture `width` pixels wide: the settings' widths below it, and
/// its own width when it is below the largest (so the largest variant is never enlarged).
pub fn widths_for(width: u32, settings: &Settings) -> Vec<u32> {
    let mut out: Vec<u32> = settings
        .widths
        .iter()
        .copied()
        .filter(|&w| w < width)
        .collect();
    let largest = settings.widths.iter().copied().max().unwrap_or(width);
    if width <= largest {
        out.push(width);
    }
    if out.is_empty() {
        out.push(largest.min(width));
    }
    out
}

/// Decodes, turns upright, resizes and encodes `bytes`.
pub fn process(bytes: &[u8], settings: &Settings) -> Result<Processed, Unreadable> {
    let unreadable =
        |e: &dyn std::fmt::Display| Unreadable(format!("this picture cannot be read: {e}"));
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| unreadable(&e))?;
    let source_format = reader.format();
    let mut decoder = reader.into_decoder().map_err(|e| unreadable(&e))?;
    let orientation = decoder.orientation().map_err(|e| unreadable(&e))?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| unreadable(&e))?;
    img.apply_orientation(orientation);
    let alpha = img.color().has_alpha();
    // 8-bit RGB or RGBA: what the encoders take.
    let img = if alpha {
        DynamicImage::ImageRgba8(img.to_rgba8())
    } else {
        DynamicImage::ImageRgb8(img.to_rgb8())
    };
    let (width, height) = (img.width(), img.height());
    let fallback = match source_format {
        Some(image::ImageFormat::Jpeg) => Format::Jpeg,
        _ if !alpha => Format::Jpeg,
        _ => Format::Png,
    };
    let mut resizer = Resizer::new();
    let mut variants = Vec::new();
    for w in widths_for(width, settings) {
        let h = ((u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width))
            .max(1) as u32;
        let pixels = if w == width {
            img.as_bytes().to_vec()
        } else {
            let pixel_type = img
                .pixel_type()
                .ok_or_else(|| unreadable(&"unknown pixels"))?;
            let mut dst = Image::new(w, h, pixel_type);
            resizer
                .resize(&img, &mut dst, None)
                .map_err(|e| unreadable(&e))?;
            dst.into_vec()
        };
        let webp = if alpha {
            webp::Encoder::from_rgba(&pixels, w, h)
        } else {
            webp::Encoder::from_rgb(&pixels, w, h)
        }
        .encode(settings.webp_quality)
        .to_vec();
        variants.push(Variant {
            width: w,
            height: h,
            format: Format::Webp,
            bytes: webp,
        });
        variants.push(Variant {
            width: w,
            height: h,
            format: fallback,
            bytes: encode(&pixels, w, h, alpha, fallback, settings).map_err(|e| unreadable(&e))?,
        });
    }
    Ok(Processed {
        width,
        height,
        variants,
    })
}

fn encode(
    pixels: &[u8],
    w: u32,
    h: u32,
    alpha: bool,
    format: Format,
    settings: &Settings,
) -> image::ImageResult<Vec<u8>> {
    use image::ImageEncoder;
    let color = if alpha {
        image::ExtendedColorType::Rgba8
    } else {
        image::ExtendedColorType::Rgb8
    };
    let mut out = Vec::new();
    match format {
        Format::Jpeg => {
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, settings.jpeg_quality)
                .write_image(pixels, w, h, color)?
        }
        Format::Png | Format::Webp => {
            image::codecs::png::PngEncoder::new(&mut out).write_image(pixels, w, h, color)?
        }
    }
    Ok(out)
}

/// Processed pictures kept between builds in a folder (`.rally-cache/images/` of the site):
/// one folder per picture, named by the hash of its bytes, the settings and [`CODE_VERSION`].
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub fn new(dir: impl Into<PathBuf>) -> Cache {
        Cache { dir: dir.into() }
    }

    /// The hash that names a picture's folder.
    pub fn key(bytes: &[u8], settings: &Settings) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut feed = |b: &[u8]| {
            for &x in b {
                h ^= u64::from(x);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        };
        feed(&CODE_VERSION.to_le_bytes());
        feed(format!("{settings:?}").as_bytes());
        feed(&(bytes.len() as u64).to_le_bytes());
        feed(bytes);
        format!("{h:016x}")
    }

    /// The picture's variants from the cache, or made now and stored; the bool says whether
    /// they were made.
    pub fn get_or_make(
        &self,
        bytes: &[u8],
        settings: &Settings,
    ) -> Result<(Processed, bool), Unreadable> {
        let folder = self.dir.join(Cache::key(bytes, settings));
        if let Some(p) = read_folder(&folder) {
            return Ok((p, false));
        }
        let p = process(bytes, settings)?;
        // A cache that cannot be written is only slower: the build goes on.
        let _ = write_folder(&folder, &p);
        Ok((p, true))
    }
}

fn variant_name(v: &Variant) -> String {
    format!("{}x{}.{}", v.width, v.height, v.format.extension())
}

fn write_folder(folder: &Path, p: &Processed) -> std::io::Result<()> {
    let tmp = folder.with_extension("tmp");
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp)?;
    let mut index = format!("{} {}\n", p.width, p.height);
    for v in &p.variants {
        let name = variant_name(v);
        std::fs::write(tmp.join(&name), &v.bytes)?;
        index.push_str(&name);
        index.push('\n');
    }
    std::fs::write(tmp.join("index"), index)?;
    // The folder appears whole or not at all.
    std::fs::rename(&tmp, folder)
}

fn read_folder(folder: &Path) -> Option<Processed> {
    let index = std::fs::read_to_string(folder.join("index")).ok()?;
    let mut lines = index.lines();
    let mut size = lines.next()?.split(' ');
    let (width, height) = (size.next()?.parse().ok()?, size.next()?.parse().ok()?);
    let mut variants = Vec::new();
    for name in lines {
        let (dims, ext) = name.split_once('.')?;
        let (w, h) = dims.split_once('x')?;
        let format = match ext {
            "webp" => Format::Webp,
            "jpg" => Format::Jpeg,
            "png" => Format::Png,
            _ => return None,
        };
        variants.push(Variant {
            width: w.parse().ok()?,
            height: h.parse().ok()?,
            format,
            bytes: std::fs::read(folder.join(name)).ok()?,
        });
    }
    Some(Processed {
        width,
        height,
        variants,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG of `w`×`h` with an EXIF block: orientation `orientation` and a GPS position.
    fn jpeg_with_exif(w: u32, h: u32, orientation: u16) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut plain = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90)
            .encode_image(&img)
            .unwrap();
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
        let mut out = plain[..2].to_vec();
        out.extend([0xFF, 0xE1]);
        out.extend(((app1.len() + 2) as u16).to_be_bytes());
        out.extend(app1);
        out.extend(&plain[2..]);
        out
    }

    #[test]
    fn widths_are_never_enlarged() {
        let s = Settings::default();
        assert_eq!(widths_for(3000, &s), [480, 960, 1600]);
        assert_eq!(widths_for(1200, &s), [480, 960, 1200]);
        assert_eq!(widths_for(300, &s), [300]);
    }

    #[test]
    fn photos_are_upright_resized_and_without_their_location() {
        let photo = jpeg_with_exif(1000, 600, 6);
        assert!(
            photo.windows(4).any(|w| w == b"Exif"),
            "the test photo has EXIF"
        );
        let p = process(&photo, &Settings::default()).unwrap();
        // Orientation 6: turned a quarter, so 600 wide and 1000 high.
        assert_eq!((p.width, p.height), (600, 1000));
        let sizes: Vec<(u32, u32, Format)> = p
            .variants
            .iter()
            .map(|v| (v.width, v.height, v.format))
            .collect();
        assert_eq!(
            sizes,
            [
                (480, 800, Format::Webp),
                (480, 800, Format::Jpeg),
                (600, 1000, Format::Webp),
                (600, 1000, Format::Jpeg)
            ]
        );
        for v in &p.variants {
            let kind = imagesize::image_type(&v.bytes).unwrap();
            match v.format {
                Format::Webp => assert_eq!(kind, imagesize::ImageType::Webp),
                Format::Jpeg => assert_eq!(kind, imagesize::ImageType::Jpeg),
                Format::Png => assert_eq!(kind, imagesize::ImageType::Png),
            }
            let size = imagesize::blob_size(&v.bytes).unwrap();
            assert_eq!((size.width as u32, size.height as u32), (v.width, v.height));
            assert!(
                !v.bytes.windows(4).any(|w| w == b"Exif"),
                "no EXIF in a variant"
            );
        }
    }

    #[test]
    fn a_picture_with_transparency_keeps_it() {
        use image::ImageEncoder;
        let img =
            image::RgbaImage::from_fn(700, 100, |x, _| image::Rgba([0, 0, 0, (x % 256) as u8]));
        let mut png = Vec::new();
        image::codecs::png::PngEncoder::new(&mut png)
            .write_image(img.as_raw(), 700, 100, image::ExtendedColorType::Rgba8)
            .unwrap();
        let p = process(&png, &Settings::default()).unwrap();
        assert!(
            p.variants.iter().all(|v| v.format != Format::Jpeg),
            "JPEG has no transparency"
        );
    }

    #[test]
    fn a_file_that_is_not_a_picture_is_an_error_not_a_panic() {
        for bad in [
            &b""[..],
            b"GIF89a",
            b"\xFF\xD8\xFF\xE0 truncated",
            b"<svg/>",
        ] {
            assert!(process(bad, &Settings::default()).is_err());
        }
    }

    #[test]
    fn a_second_build_encodes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let photo = jpeg_with_exif(900, 500, 1);
        let (first, made) = cache.get_or_make(&photo, &Settings::default()).unwrap();
        assert!(made);
        let (again, made) = cache.get_or_make(&photo, &Settings::default()).unwrap();
        assert!(!made, "read from the cache");
        assert_eq!(first.variants.len(), again.variants.len());
        for (a, b) in first.variants.iter().zip(&again.variants) {
            assert_eq!(a.bytes, b.bytes);
        }
        // Other settings: made again.
        let other = Settings {
            webp_quality: 60.0,
            ..Settings::default()
        };
        assert!(cache.get_or_make(&photo, &other).unwrap().1);
    }
}

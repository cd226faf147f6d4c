//! One log entry's bytes: a record's key and value side by side, the key's
//! length first.

use super::StoreError;

pub fn encode(key: &[u8], value: &[u8]) -> Vec<u8> {
    let length = u32::try_from(key.len()).expect("record keys are far below 4 GiB");
    let mut frame = Vec::with_capacity(4 + key.len() + value.len());
    frame.extend_from_slice(&length.to_be_bytes());
    frame.extend_from_slice(key);
    frame.extend_from_slice(value);
    frame
}

/// The key and value of a frame.
pub fn decode(frame: &[u8]) -> Result<(&[u8], &[u8]), StoreError> {
    let corrupt = || StoreError("corrupt record frame".into());
    let (length, rest) = frame.split_first_chunk::<4>().ok_or_else(corrupt)?;
    let length = usize::try_from(u32::from_be_bytes(*length)).map_err(|_| corrupt())?;
    if rest.len() < length {
        return Err(corrupt());
    }
    Ok(rest.split_at(length))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_gives_back_its_key_and_value() {
        let frame = encode(b"{\"k\":1}", b"{\"v\":2}");
        assert_eq!(
            decode(&frame).unwrap(),
            (&b"{\"k\":1}"[..], &b"{\"v\":2}"[..])
        );
        assert_eq!(decode(&encode(b"k", b"")).unwrap(), (&b"k"[..], &b""[..]));
    }

    #[test]
    fn a_truncated_frame_is_an_error() {
        let frame = encode(b"key", b"value");
        for cut in [0, 3, 5] {
            assert!(decode(&frame[..cut]).is_err(), "{cut}");
        }
    }
}

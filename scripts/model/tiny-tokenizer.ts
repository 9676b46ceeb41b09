// A tiny CLIP tokenizer in the Hugging Face `tokenizer.json` format: the same pipeline as CLIP's (NFC +
// whitespace + lowercase normaliser, CLIP's split regex + byte-level pre-tokeniser, BPE with "</w>" word ends,
// <|startoftext|> … <|endoftext|> post-processing), with CLIP's vocabulary layout (256 byte symbols, the same
// with "</w>", merge results, then the two special tokens) but only enough merges to spell a short word list.

/** GPT-2/CLIP byte → printable-unicode table, in CLIP's vocabulary order. */
export function bytesToUnicode(): [number, string][] {
  const bs: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bs.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bs.push(b);
  for (let b = 0xae; b <= 0xff; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  return bs.map((b, i) => [b, String.fromCodePoint(cs[i]!)]);
}

/** Splits one lower-case word into BPE symbols with the current merges (lowest rank first, as HF does). */
function bpe(word: string, ranks: Map<string, number>): string[] {
  const symbols = [...word];
  symbols[symbols.length - 1] += "</w>";
  for (;;) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i < symbols.length - 1; i++) {
      const r = ranks.get(`${symbols[i]} ${symbols[i + 1]}`);
      if (r !== undefined && r < bestRank) {
        bestRank = r;
        best = i;
      }
    }
    if (best < 0) return symbols;
    symbols.splice(best, 2, symbols[best]! + symbols[best + 1]!);
  }
}

export interface TinyTokenizer {
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  vocab: Map<string, number>;
  bosId: number;
  eosId: number;
}

/**
 * Builds the tokenizer so that every word in `words` (ASCII letters) is one token "word</w>": each word is
 * tokenised with the merges so far and the pieces are then joined left to right by new, lower-priority
 * merges — so adding a word never changes how an earlier word splits.
 */
export function buildTinyClipTokenizer(words: string[], maxLength = 77): TinyTokenizer {
  const base = bytesToUnicode().map(([, u]) => u);
  const vocabList = [...base, ...base.map((u) => `${u}</w>`)];
  const vocab = new Map(vocabList.map((t, i) => [t, i]));
  const merges: string[] = [];
  const ranks = new Map<string, number>();
  for (const raw of words) {
    const word = raw.toLowerCase();
    if (!/^[a-z]+$/.test(word)) throw new Error(`tiny tokenizer words must be ASCII letters: ${raw}`);
    let pieces = bpe(word, ranks);
    while (pieces.length > 1) {
      const pair = `${pieces[0]} ${pieces[1]}`;
      ranks.set(pair, merges.length);
      merges.push(pair);
      const joined = pieces[0]! + pieces[1]!;
      if (!vocab.has(joined)) vocab.set(joined, vocab.size);
      pieces = [joined, ...pieces.slice(2)];
    }
  }
  const bosId = vocab.size;
  const eosId = bosId + 1;
  const BOS = "<|startoftext|>";
  const EOS = "<|endoftext|>";
  vocab.set(BOS, bosId);
  vocab.set(EOS, eosId);
  const special = (id: number, content: string) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: true,
    special: true,
  });
  const tokenizerJson = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [special(bosId, BOS), special(eosId, EOS)],
    normalizer: {
      type: "Sequence",
      normalizers: [{ type: "NFC" }, { type: "Replace", pattern: { Regex: "\\s+" }, content: " " }, { type: "Lowercase" }],
    },
    pre_tokenizer: {
      type: "Sequence",
      pretokenizers: [
        {
          type: "Split",
          pattern: { Regex: "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+" },
          behavior: "Removed",
          invert: true,
        },
        { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: {
      type: "RobertaProcessing",
      sep: [EOS, eosId],
      cls: [BOS, bosId],
      trim_offsets: false,
      add_prefix_space: false,
    },
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: EOS,
      continuing_subword_prefix: "",
      end_of_word_suffix: "</w>",
      fuse_unk: false,
      byte_fallback: false,
      vocab: Object.fromEntries(vocab),
      merges,
    },
  };
  const tokenizerConfig = {
    tokenizer_class: "CLIPTokenizer",
    model_max_length: maxLength,
    bos_token: BOS,
    eos_token: EOS,
    unk_token: EOS,
    pad_token: EOS,
    do_lower_case: true,
    add_prefix_space: false,
    clean_up_tokenization_spaces: true,
    errors: "replace",
  };
  return { tokenizerJson, tokenizerConfig, vocab, bosId, eosId };
}

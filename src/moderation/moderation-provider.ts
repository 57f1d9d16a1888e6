/** What a provider is asked about. */
export interface ModerationInput {
  prompt: string;
  negativePrompt: string | null;
  /** The start image, when images are moderated too. */
  image?: { contentType: string; bytes: Buffer };
}

export type ProviderVerdict = { flagged: false } | { flagged: true; category: string };

/** An external content classifier. Throwing (or exceeding the deadline) means "could not tell". */
export interface ModerationProvider {
  check(input: ModerationInput, signal: AbortSignal): Promise<ProviderVerdict>;
}

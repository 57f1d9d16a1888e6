import type { ComponentProps } from 'preact';

/**
 * An input with its label above and its hint below, the hint tied to it as its description (read
 * out after the label). `grow` lets it take a row's spare width; every other prop is the input's.
 */
export function LabelledInput({ id, label, hint, grow, ...input }: { id: string; label: string; hint: string; grow?: boolean } & ComponentProps<'input'>) {
  return (
    <div class={grow ? 'grow' : undefined}>
      <label for={id}>{label}</label>
      <input id={id} aria-describedby={`${id}-hint`} {...input} />
      <p class="hint" id={`${id}-hint`}>
        {hint}
      </p>
    </div>
  );
}

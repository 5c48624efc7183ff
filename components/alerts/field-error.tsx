/** A form field's error from the API, under its input (announced). */
export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <span id={id} role="alert" className="block text-xs font-normal text-rose-700 dark:text-rose-300">
      {error}
    </span>
  ) : null;
}

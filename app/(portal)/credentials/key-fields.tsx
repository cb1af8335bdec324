import { Field } from "@/components/field";

// The fields the SSH and GPG add forms share: the key's id and description, the pasted key
// material and its passphrase. Each form keeps its own hints, because what the fields are for differs.

type Errors = Record<string, string[] | undefined>;

export function KeyIdentityFields(props: {
  values: Record<string, string | undefined>;
  errors: Errors;
  idHint: string;
  descriptionHint: string;
}) {
  const { values, errors } = props;
  return (
    <>
      <Field label="Id" name="id" errors={errors.id} hint={props.idHint}>
        <input type="text" defaultValue={values.id} autoComplete="off" required maxLength={64} spellCheck={false} />
      </Field>
      <Field label="Description" name="description" errors={errors.description} hint={props.descriptionHint}>
        <input type="text" defaultValue={values.description} maxLength={200} />
      </Field>
    </>
  );
}

/** The pasted key. It stays in the browser (the server never echoes it), so a refused form keeps it. */
export function KeyMaterialField(props: {
  label: string;
  name: string;
  errors: Errors;
  hint: string;
  value: string;
  onChange: (text: string) => void;
  /** Changed to remount the (uncontrolled) box, e.g. after a file was read into it. */
  remountKey?: number;
}) {
  return (
    <Field label={props.label} name={props.name} errors={props.errors[props.name]} hint={props.hint}>
      <textarea
        key={props.remountKey}
        rows={8}
        required
        spellCheck={false}
        autoComplete="off"
        className="key-material"
        defaultValue={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </Field>
  );
}

export function PassphraseField({ errors, hint }: { errors: Errors; hint: string }) {
  return (
    <Field label="Passphrase (if the key has one)" name="passphrase" errors={errors.passphrase} hint={hint}>
      <input type="password" autoComplete="off" />
    </Field>
  );
}

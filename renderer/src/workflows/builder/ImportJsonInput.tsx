/**
 * "Import JSON": a file input that reads a definition file and hands it over when it is JSON
 * with the shape of a definition; otherwise it shows what is wrong and nothing changes.
 */
import { useId, useState, type ChangeEvent } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { parseDefinitionText } from './definitionFile.js';
import type { DraftDefinition } from './draftDefinition.js';

export function ImportJsonInput({ onImport }: { onImport(definition: DraftDefinition): void }) {
  const id = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const read = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.target;
    const file = input.files?.[0];
    if (!file) return;
    const result = parseDefinitionText(await file.text(), file.name);
    // Cleared, so choosing the same file again reads it again.
    input.value = '';
    if (!result.ok) {
      setProblem(result.message);
      return;
    }
    setProblem(null);
    onImport(result.definition);
  };
  return (
    <span className="import-json">
      <label htmlFor={id} className="file-button">
        Import JSON
      </label>
      <input id={id} type="file" accept=".json,application/json" onChange={(event) => void read(event)} />
      <ErrorMessage message={problem} />
    </span>
  );
}

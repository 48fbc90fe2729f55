import { BusyButton } from './form';

/** What DeleteButton needs of a page's delete action (useAction): run it for a row, whether one runs. */
export interface DeleteAction {
  run: (id: string) => Promise<unknown>;
  pending: boolean;
}

/**
 * A table row's Delete button: runs the page's delete action for the row's `id`. Disabled while a delete of
 * the page is under way (one at a time: the list is reloaded after each); the action's error goes to the
 * page's ErrorBox.
 */
export function DeleteButton({ action, id }: { action: DeleteAction; id: string }) {
  return (
    <BusyButton className="btn secondary" busy={action.pending} onClick={() => void action.run(id)}>
      Delete
    </BusyButton>
  );
}

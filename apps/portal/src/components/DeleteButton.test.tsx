import { describe, expect, it } from '@jest/globals';
import { fireEvent, render, screen } from '@testing-library/react';
import { DeleteButton } from './DeleteButton';

describe('DeleteButton', () => {
  it("runs the page's delete action for its row", () => {
    const ran: string[] = [];
    const action = { run: async (id: string) => void ran.push(id), pending: false };
    render(<DeleteButton action={action} id="rule-7" />);
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(ran).toEqual(['rule-7']);
  });

  it('is disabled while a delete of the page runs', () => {
    const ran: string[] = [];
    const action = { run: async (id: string) => void ran.push(id), pending: true };
    render(<DeleteButton action={action} id="rule-7" />);
    const button = screen.getByRole('button', { name: 'Delete' }) as HTMLButtonElement;
    fireEvent.click(button);
    expect({ disabled: button.disabled, ran }).toEqual({ disabled: true, ran: [] });
  });
});

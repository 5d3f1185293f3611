import assert from 'node:assert/strict';
import type { ResultBackend } from '@stem/core';
import type { ResultBackendCase } from './result-backend-case';

const CLAIMANTS = 40;

export const groupCallbackClaimedOnce: ResultBackendCase = {
  name: 'group-callback-claimed-once',
  promise:
    'racing claimants from many processes see exactly one winner; the winner is granted again on retry, the others never; a missing group is NOT_FOUND',
  async run(resources) {
    const a = await resources.open();
    const b = await resources.open();
    await a.initGroup({ groupId: 'claimed', size: 3 });

    const claim = (backend: ResultBackend, index: number) =>
      backend.claimGroupCallback('claimed', `claimant-${index}`);
    const granted = await Promise.all(
      Array.from({ length: CLAIMANTS }, (_, index) => claim(index % 2 === 0 ? a : b, index)),
    );
    const winners = granted.flatMap((won, index) => (won ? [index] : []));
    assert.equal(winners.length, 1, `${winners.length} claimants won the claim`);
    const winner = winners[0]!;

    // The winner may come back (a redelivery after a crash) from another process.
    assert.equal(await claim(winner % 2 === 0 ? b : a, winner), true, 'the winner was refused');
    assert.equal(await claim(a, (winner + 1) % CLAIMANTS), false, 'a loser was granted later');
    const group = await b.getGroup('claimed');
    assert.equal(group?.callbackClaimant, `claimant-${winner}`);

    // Claims belong to one group: another group is claimed independently.
    await b.initGroup({ groupId: 'other', size: 1 });
    assert.equal(await a.claimGroupCallback('other', 'claimant-x'), true);
    assert.equal((await a.getGroup('other'))?.callbackClaimant, 'claimant-x');

    await assert.rejects(a.claimGroupCallback('never-created', 'claimant-0'), (error: unknown) => {
      assert.equal((error as { code?: string }).code, 'NOT_FOUND');
      return true;
    });
  },
};

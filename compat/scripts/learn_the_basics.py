# "Learn the Basics": datasets and dataloaders, the model, the optimization loop, save and load,
# on synthetic FashionMNIST-shaped data (1x28x28 images in [0, 1), 10 classes) made in the script.
import os
import tempfile

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)

# %% data: each class has a template image; an image is its template blended with noise
g = torch.Generator().manual_seed(1)
templates = torch.rand(10, 1, 28, 28, generator=g)


def make_split(n):
    labels = torch.randint(0, 10, (n,), generator=g)
    noise = torch.rand(n, 1, 28, 28, generator=g)
    images = 0.35 * templates[labels] + 0.65 * noise
    return TensorDataset(images, labels)


training_data = make_split(512)
test_data = make_split(128)
labels_map = {0: "T-Shirt", 1: "Trouser", 2: "Pullover", 3: "Dress", 4: "Coat",
              5: "Sandal", 6: "Shirt", 7: "Sneaker", 8: "Bag", 9: "Ankle Boot"}
img, label = training_data[0]
print(len(training_data), len(test_data), img.shape, img.dtype, label, labels_map[label.item()])

# %% dataloaders
train_dataloader = DataLoader(training_data, batch_size=64, shuffle=True)
test_dataloader = DataLoader(test_data, batch_size=64, shuffle=True)
train_features, train_labels = next(iter(train_dataloader))
print(f"Feature batch shape: {train_features.size()}")
print(f"Labels batch shape: {train_labels.size()}")
print(f"Label: {train_labels[0]}", train_labels[:10])
print(len(train_dataloader), len(test_dataloader))


# %% build the model
class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(28 * 28, 512),
            nn.ReLU(),
            nn.Linear(512, 512),
            nn.ReLU(),
            nn.Linear(512, 10),
        )

    def forward(self, x):
        x = self.flatten(x)
        logits = self.linear_relu_stack(x)
        return logits


device = "cpu"
print(f"Using {device} device")
model = NeuralNetwork().to(device)
print(model)

# %% one prediction
X = torch.rand(1, 28, 28, device=device)
logits = model(X)
pred_probab = nn.Softmax(dim=1)(logits)
y_pred = pred_probab.argmax(1)
print(f"Predicted class: {y_pred}")
print(pred_probab)

# %% model layers
input_image = torch.rand(3, 28, 28)
print(input_image.size())
flatten = nn.Flatten()
flat_image = flatten(input_image)
print(flat_image.size())
layer1 = nn.Linear(in_features=28 * 28, out_features=20)
hidden1 = layer1(flat_image)
print(hidden1.size())
print(f"Before ReLU: {hidden1[0, :5]}\n\n")
hidden1 = nn.ReLU()(hidden1)
print(f"After ReLU: {hidden1[0, :5]}")

# %% model parameters
print(f"Model structure: {model}\n\n")
for name, param in model.named_parameters():
    print(f"Layer: {name} | Size: {param.size()} | Values : {param[:2, :3] if param.dim() == 2 else param[:2]} \n")

# %% optimization loop
learning_rate = 1e-3
batch_size = 64
epochs = 3
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)


def train_loop(dataloader, model, loss_fn, optimizer):
    size = len(dataloader.dataset)
    model.train()
    for batch, (X, y) in enumerate(dataloader):
        pred = model(X)
        loss = loss_fn(pred, y)

        loss.backward()
        optimizer.step()
        optimizer.zero_grad()

        if batch % 2 == 0:
            loss, current = loss.item(), batch * batch_size + len(X)
            print(f"loss: {loss:>7f}  [{current:>5d}/{size:>5d}]")


def test_loop(dataloader, model, loss_fn):
    model.eval()
    size = len(dataloader.dataset)
    num_batches = len(dataloader)
    test_loss, correct = 0, 0

    with torch.no_grad():
        for X, y in dataloader:
            pred = model(X)
            test_loss += loss_fn(pred, y).item()
            correct += (pred.argmax(1) == y).type(torch.float).sum().item()

    test_loss /= num_batches
    correct /= size
    print(f"Test Error: \n Accuracy: {(100*correct):>0.1f}%, Avg loss: {test_loss:>8f} \n")


for t in range(epochs):
    print(f"Epoch {t+1}\n-------------------------------")
    train_loop(train_dataloader, model, loss_fn, optimizer)
    test_loop(test_dataloader, model, loss_fn)
print("Done!")

# %% save and load the model weights
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "model_weights.pth")
    torch.save(model.state_dict(), path)
    model2 = NeuralNetwork()
    print(model2.load_state_dict(torch.load(path, weights_only=True)))
    model2.eval()
    print(list(torch.load(path, weights_only=True).keys()))
X, y = test_data[:8]
with torch.no_grad():
    print(torch.equal(model(X), model2(X)), model2(X).argmax(1), y)
print(model.linear_relu_stack[4].bias)
